"""Every sentence `mediacheck fix` says, in zh and en (same style as messages.py).

No sentence repeats a spec value: targets and accepted formats come in as placeholders,
rendered from the profile's rules (fix/plan.py, fix/photo.py). Placeholders use
str.format names. `text(key, **params)` gives both languages, so a
plan (pure) can carry its words and the CLI picks one language at the end.
"""

from __future__ import annotations

import os

from mediacheck.words.lang import LANGS, tr, visible

Text = dict[str, str]

FIX: dict[str, Text] = {
    # ---- the plan: what is done (steps)
    "step.remux": {
        "zh": "只重新封装为 MP4，不重新编码：画面和声音数据原样复制。",
        "en": "Remux to MP4 only, no re-encoding: the picture and sound data are copied "
        "as they are.",
    },
    "step.container": {
        "zh": "写成真正的 MP4 文件，索引（moov）放在文件开头（边下边播）。",
        "en": "Write a real MP4 file with its index (moov) at the start (fast start).",
    },
    "step.video.copy": {
        "zh": "视频已符合要求：原样复制，不重新编码。",
        "en": "The video already meets the rules: copied as it is, not re-encoded.",
    },
    "step.video.encode": {
        "zh": "重新编码视频：H.264 High，8 位 4:2:0（yuv420p），逐行。",
        "en": "Re-encode the video: H.264 High, 8-bit 4:2:0 (yuv420p), progressive.",
    },
    "step.video.rotate": {
        "zh": "按文件中的旋转信息（{degrees}°）把画面转正，输出中不再带旋转标记。",
        "en": "Turn the picture upright as its rotation tag ({degrees}°) says; the output "
        "carries no rotation tag.",
    },
    "step.video.deinterlace": {
        "zh": "去隔行（bwdif），消除横纹。",
        "en": "Deinterlace (bwdif) so no comb lines show.",
    },
    "step.video.fps": {
        "zh": "帧率从 {source} 转为恒定 {fps} 帧/秒。",
        "en": "Convert the frame rate from {source} to a constant {fps} fps.",
    },
    "step.video.scale": {
        "zh": "画面从 {source} 缩放到 {size}，保持宽高比（不拉伸）。",
        "en": "Scale the picture from {source} to {size}, keeping its aspect ratio "
        "(no stretching).",
    },
    "step.video.upscale": {
        "zh": "原画面只有 {source}，将放大到 {size}：这样能通过检查，但放大不会让画面更清晰。"
        "如有可能，请用不低于 {size} 的原始素材重新导出。",
        "en": "The picture is only {source}; it is upscaled to {size}. That passes the check, "
        "but upscaling adds no detail: if you can, export again from footage of {size} or more.",
    },
    "step.video.pad": {
        "zh": "画面比例与 {frame} 不同：{where}加黑边补足，画面不变形。",
        "en": "The picture's shape differs from {frame}: black bars are added {where}; "
        "nothing is stretched.",
    },
    "where.sides": {"zh": "左右", "en": "left and right"},
    "where.top_bottom": {"zh": "上下", "en": "top and bottom"},
    "where.around": {"zh": "四周", "en": "around it"},
    "step.video.pixfmt": {
        "zh": "像素格式 {source} 转为 yuv420p（8 位 4:2:0），浏览器和手机都能播放。",
        "en": "Convert the pixel format {source} to yuv420p (8-bit 4:2:0), which browsers "
        "and phones play.",
    },
    "step.video.bitrate": {
        "zh": "视频码率定为 {rate}，恒定码率（CBR）。",
        "en": "Set the video bitrate to {rate}, constant (CBR).",
    },
    "step.video.extra": {
        "zh": "只输出第 1 条视频轨道，另外 {count} 条不输出。",
        "en": "Only the first video track is written; {count} other(s) are left out.",
    },
    "step.audio.copy": {
        "zh": "音频已符合要求：原样复制，不重新编码。",
        "en": "The audio already meets the rules: copied as it is, not re-encoded.",
    },
    "step.audio.encode": {
        "zh": "重新编码音频：AAC-LC，{rate}，{layout}，{bitrate} 恒定码率。",
        "en": "Re-encode the audio: AAC-LC, {rate}, {layout}, {bitrate} constant.",
    },
    "step.audio.resample": {
        "zh": "采样率从 {source} 转为 {rate}。",
        "en": "Resample from {source} to {rate}.",
    },
    "step.audio.mono": {
        "zh": "单声道录音复制到左右两个声道（音量不变）。",
        "en": "The mono recording is copied to both left and right (same loudness).",
    },
    "step.audio.downmix": {
        "zh": "{channels} 个声道混为{layout}。",
        "en": "Mix the {channels} channels down to {layout}.",
    },
    "step.audio.pad": {
        "zh": "声音比画面短 {gap}：在末尾补上静音，使声音和画面一样长。",
        "en": "The sound ends {gap} before the picture: silence is added at the end so "
        "both are the same length.",
    },
    "step.audio.guard": {
        "zh": "混入 {dbfs} dBFS 的极轻噪声（听不见），使静音段落也保持 {bitrate} 恒定："
        "AAC 编码器遇到完全静音会降到约 2 kbit/s，码率就不再恒定。",
        "en": "Mix in noise at {dbfs} dBFS (inaudible) so silent passages stay at a constant "
        "{bitrate}: the AAC encoder drops to about 2 kbit/s on digital silence, and the "
        "rate is no longer constant.",
    },
    "step.audio.silent": {
        "zh": "原文件没有声音：加入一条静音的音轨（{rate}，{layout}）。",
        "en": "The file has no sound: a silent track is added ({rate}, {layout}).",
    },
    "step.audio.extra": {
        "zh": "只输出第 1 条音频轨道，另外 {count} 条不输出（网页播放器只播放第一条）。"
        "如需旁白和背景音乐同时播放，请在剪辑软件中混成一条后重新导出。",
        "en": "Only the first audio track is written; {count} other(s) are left out (web "
        "players play only the first). To hear narration and music together, mix them "
        "into one track in your editor.",
    },
    # ---- the plan: why (reasons)
    "why.rules": {"zh": "原因：{rules}", "en": "Because: {rules}"},
    "why.container": {
        "zh": "原因：文件格式或索引位置不符合要求，而画面和声音本身没有问题。",
        "en": "Because: the container or index position is wrong, while the picture and "
        "sound themselves are fine.",
    },
    "why.streams_ok": {
        "zh": "原因：画面和声音本身已符合要求，只需调整轨道。",
        "en": "Because: the picture and sound themselves pass; only the tracks need sorting out.",
    },
    "why.video_ok": {
        "zh": "原因：视频的各项检查均已通过，重新编码只会降低画质。",
        "en": "Because: the video passes every check; re-encoding would only lose quality.",
    },
    "why.audio_ok": {
        "zh": "原因：音频的各项检查均已通过。",
        "en": "Because: the audio passes every check.",
    },
    "why.rotation": {
        "zh": "原因：重新编码后画面必须按显示方向存储，分辨率才按实际显示尺寸计算。",
        "en": "Because: once re-encoded, the picture is stored the way it is shown, so its "
        "resolution is what viewers see.",
    },
    "why.interlaced": {
        "zh": "原因：隔行视频在电脑和手机上会出现横纹。",
        "en": "Because: interlaced video shows comb lines on computers and phones.",
    },
    "why.target": {
        "zh": "原因：规则要求 {expected}（{rule}）。",
        "en": "Because: the rules require {expected} ({rule}).",
    },
    "why.fit": {
        "zh": "原因：规则要求 {expected}（{rule}），画面按比例放入 {frame}。",
        "en": "Because: the rules require {expected} ({rule}); the picture is fitted into {frame}.",
    },
    "why.extra": {
        "zh": "原因：上传要求只有一条视频和一条音频。",
        "en": "Because: an upload has one video and one audio track.",
    },
    "why.no_audio": {
        "zh": "原因：规则要求音频采样率 {rate}（{rate_rule}），"
        "声道数 {channels}（{channels_rule}）。",
        "en": "Because: the rules ask for audio at {rate} ({rate_rule}) with {channels} "
        "channel(s) ({channels_rule}).",
    },
    # ---- channel layouts, as the steps name them
    "layout.1": {"zh": "单声道", "en": "mono"},
    "layout.2": {"zh": "立体声", "en": "stereo"},
    "layout.n": {"zh": "{channels} 声道", "en": "{channels} channels"},
    # ---- the facts a plan takes a target from, as the blockers name them
    "target.video.display_size": {"zh": "画面尺寸", "en": "the picture size"},
    "target.video.fps": {"zh": "帧率", "en": "the frame rate"},
    "target.video.bitrate": {"zh": "视频码率", "en": "the video bitrate"},
    "target.audio.sample_rate": {"zh": "音频采样率", "en": "the audio sample rate"},
    "target.audio.channels": {"zh": "声道数", "en": "the number of audio channels"},
    "target.audio.bitrate": {"zh": "音频码率", "en": "the audio bitrate"},
    # ---- the plan: cannot fix (blockers)
    "block.unreadable": {
        "zh": "无法修复：{detail}",
        "en": "Cannot fix it: {detail}",
    },
    "block.truncated": {
        "zh": "无法修复：文件不完整（被截断），缺少的部分无法找回。请重新导出或重新复制原文件。",
        "en": "Cannot fix it: the file is cut short (truncated) and the missing part cannot "
        "be recovered. Export or copy the original again.",
    },
    "block.no_video": {
        "zh": "无法修复：文件里没有视频画面，只有声音。请导出包含画面的视频。",
        "en": "Cannot fix it: the file has no picture, only sound. Export a video with "
        "its picture.",
    },
    "block.unsupported_target": {
        "zh": "无法修复：规则配置要求 {fact} 为 {expected}，而 mediacheck fix 只能输出 {can}。",
        "en": "Cannot fix it: the profile asks for {fact} = {expected}, but mediacheck fix "
        "can only write {can}.",
    },
    "block.no_target": {
        "zh": "无法修复：规则配置里没有关于{what}（{fact}）的规则，修复需要一个目标值："
        "请启用 {rule}，或添加一条关于 {fact} 的规则给出目标值。",
        "en": "Cannot fix it: the profile has no rule for {what} ({fact}): fix needs a "
        "target; enable {rule} or give one in a rule on {fact}.",
    },
    "block.no_target_rule": {
        "zh": "无法修复：规则配置里没有关于{what}（{fact}）的规则，修复需要一个目标值："
        "请添加一条关于 {fact} 的规则给出目标值。",
        "en": "Cannot fix it: the profile has no rule for {what} ({fact}): fix needs a "
        "target; give one in a rule on {fact}.",
    },
    "block.rule": {
        "zh": "无法自动修复：{rule}（{title}）。",
        "en": "Cannot fix this automatically: {rule} ({title}).",
    },
    # ---- the run
    "title.plan": {"zh": "修复计划：{path}", "en": "Plan for {path}"},
    "nothing": {
        "zh": "{path} 已符合所有要求，无需修复，没有写出新文件。",
        "en": "{path} already meets every requirement; nothing to fix, no file written.",
    },
    "dry_run": {
        "zh": "试运行（--dry-run）：以下是将要执行的 ffmpeg 命令，未写出任何文件。",
        "en": "Dry run (--dry-run): this is the ffmpeg command it would run; nothing was written.",
    },
    "progress": {"zh": "正在修复", "en": "Fixing"},
    "written": {
        "zh": "已写出 {path}（{seconds:.1f} 秒），复查通过。",
        "en": "Wrote {path} in {seconds:.1f} s; it passes the checks.",
    },
    "verify": {"zh": "复查修复结果：", "en": "Checking the result:"},
    "verify_failed": {
        "zh": "修复结果仍未通过检查（见上表），没有保留输出文件。请把上表发给技术支持。",
        "en": "The result still fails the checks (table above), so no output file was kept. "
        "Please send the table above to technical support.",
    },
    "warnings_left": {
        "zh": "修复结果通过了所有必须项，但仍有警告（见上表）。",
        "en": "The result passes every required check, with warnings left (table above).",
    },
    # ---- errors (FixError codes)
    "err.same_path": {
        "zh": "输出路径与输入文件相同：{path}。mediacheck fix 从不改写原文件，"
        "请用 -o 指定另一个文件名。",
        "en": "The output path is the input file itself: {path}. mediacheck fix never "
        "changes the original; name another file with -o.",
    },
    "err.exists": {
        "zh": "输出文件已存在：{path}。如要覆盖，请加 --force；或用 -o 指定另一个文件名。",
        "en": "The output file already exists: {path}. Add --force to replace it, or name "
        "another file with -o.",
    },
    "err.out_dir": {
        "zh": "无法写入输出文件夹 {path}：{detail}",
        "en": "Cannot write to the output folder {path}: {detail}",
    },
    "err.missing": {"zh": "文件不存在：{path}", "en": "No such file: {path}"},
    "err.source": {"zh": "无法修复 {path}：{why}。", "en": "Cannot fix {path}: {why}."},
    "source.folder": {
        "zh": "这是一个文件夹；mediacheck fix 只处理文件，请逐个给出要修复的文件",
        "en": "it is a folder; mediacheck fix takes files, so name the files to fix",
    },
    "err.suffix": {
        "zh": "输出文件名的扩展名不对：{path}。写出的是 {format} 文件，文件名应以 {suffixes} 结尾"
        "（改扩展名不会改变文件格式，平台会拒收）。",
        "en": "The output name has the wrong extension: {path}. The file written is {format}, "
        "so its name must end in {suffixes} (a name does not change a format, and upload "
        "platforms refuse such files).",
    },
    "err.photo_suffix": {
        "zh": "输出文件名的扩展名不对：{path}。mediacheck fix 能写出、规则也接受的照片格式是 "
        "{formats}，文件名应以 {suffixes} 结尾。",
        "en": "The output name has the wrong extension: {path}. The photo formats mediacheck "
        "fix can write and the rules accept are {formats}, so the name must end in {suffixes}.",
    },
    "err.out_is_dir": {
        "zh": "输出路径是一个已有的文件夹：{path}。请用 -o 指定另一个文件名。",
        "en": "The output path is an existing folder: {path}. Name another file with -o.",
    },
    "err.output_many": {
        "zh": "-o 指定的是一个文件名，但要修复的文件有 {count} 个：请用 -o 指定一个已有的文件夹，"
        "或每次只修复一个文件。",
        "en": "-o names one file, but {count} files are to be fixed: give -o an existing "
        "folder, or fix one file at a time.",
    },
    "out_dir.missing": {"zh": "文件夹不存在", "en": "the folder does not exist"},
    "out_dir.read_only": {"zh": "没有写入权限", "en": "it is not writable"},
    "err.encoder": {
        "zh": "当前的 ffmpeg 缺少编码器 {encoder}，无法重新编码。pip install mediacheck "
        "会一并装好带全部编码器的 ffmpeg（imageio-ffmpeg）：请在同一个环境里重新安装"
        "（pip install --force-reinstall mediacheck），或换用完整版的 ffmpeg。",
        "en": "This ffmpeg has no {encoder} encoder, so it cannot re-encode. pip install "
        "mediacheck brings an ffmpeg with every encoder it needs (imageio-ffmpeg): reinstall "
        "it in the same environment (pip install --force-reinstall mediacheck), or use a full "
        "ffmpeg build.",
    },
    "err.disk_full": {
        "zh": "磁盘空间不足，无法写出 {path}。已删除未完成的文件。"
        "请腾出空间（至少与原视频大小相当）或用 -o 写到别的磁盘。",
        "en": "The disk is full; {path} could not be written. The unfinished file was "
        "removed. Free some space (at least the size of the original) or write elsewhere with -o.",
    },
    "err.crashed": {
        "zh": "修复 {path} 时出现内部错误（{detail}）。原文件未改动。这是 mediacheck 的问题："
        "请把这条信息报告给维护者。",
        "en": "Internal error while fixing {path} ({detail}). The original is untouched. "
        "This is a problem in mediacheck: please report this message to the maintainers.",
    },
    "err.write": {
        "zh": "无法写出 {path}：{detail}。未完成的文件已删除。",
        "en": "Cannot write {path}: {detail}. The unfinished file was removed.",
    },
    "err.timeout": {
        "zh": "修复超时（{seconds:g} 秒），已停止并删除未完成的文件。可用 --timeout 设置更长时间。",
        "en": "The fix timed out after {seconds:g} s; it was stopped and the unfinished file "
        "removed. Allow longer with --timeout.",
    },
    "err.interrupted": {
        "zh": "已中断，未完成的文件已删除，原文件未改动。",
        "en": "Interrupted; the unfinished file was removed and the original is untouched.",
    },
    "err.interrupted_by": {
        "zh": "收到 {signal} 信号，已停止：ffmpeg 已结束，未完成的文件已删除，原文件未改动。",
        "en": "Stopped by {signal}: ffmpeg was stopped, the unfinished file removed, and the "
        "original is untouched.",
    },
    "err.ffmpeg": {
        "zh": "ffmpeg 处理失败（退出码 {status}），未完成的文件已删除。ffmpeg 最后的提示：{detail}",
        "en": "ffmpeg failed (exit status {status}); the unfinished file was removed. "
        "ffmpeg's last words: {detail}",
    },
    "err.photo_verify": {
        "zh": "转换后的照片复查未通过（内容不是 {target}），没有保留输出文件。",
        "en": "The converted photo did not verify (its content is not {target}), so no "
        "output file was kept.",
    },
    "err.not_media": {
        "zh": "无法修复：{path} 既不是视频也不是照片（内容是{what}）。",
        "en": "Cannot fix {path}: it is neither a video nor a photo (its content is {what}).",
    },
    # ---- photos
    "photo.convert": {
        "zh": "{source} 格式转换为 {target}（高质量），按 EXIF 方向把照片转正。",
        "en": "Convert {source} to {target} (high quality), turned upright as its EXIF "
        "orientation says.",
    },
    "photo.why_png": {
        "zh": "原因：照片有透明部分，JPEG 不能保存透明，所以用 PNG。",
        "en": "Because: the photo has transparent parts, which JPEG cannot keep, so PNG is used.",
    },
    "photo.why_format": {
        "zh": "原因：规则只接受 {expected}（{rule}）。",
        "en": "Because: the rules accept {expected} ({rule}).",
    },
    "photo.flattened": {
        "zh": "照片有透明部分，但规则不接受 PNG：透明部分铺成白色后存为 JPEG。",
        "en": "The photo has transparent parts, but the rules do not accept PNG: the "
        "transparent parts become white in the JPEG.",
    },
    "photo.why_not_jpeg": {
        "zh": "规则不接受 JPEG，所以存为 {target}（无损，文件较大）。",
        "en": "The rules do not accept JPEG, so it is written as {target} (lossless, larger).",
    },
    "photo.as_named": {
        "zh": "输出文件名要求 {target}，所以存为 {target}。",
        "en": "The output name asks for {target}, so it is written as {target}.",
    },
    "photo.no_output": {
        "zh": "无法转换：mediacheck fix 只能写出 {can}，而规则不接受其中任何一种。"
        "请用其他软件转换为规则接受的格式。",
        "en": "Cannot convert it: mediacheck fix can write only {can}, and the rules accept "
        "neither. Convert it with other software to a format the rules accept.",
    },
    "photo.ok_format": {
        "zh": "{path} 的格式（{source}）已符合要求，无需转换。",
        "en": "{path} is already an accepted format ({source}); no conversion needed.",
    },
    "photo.small": {
        "zh": "照片只有 {size}，要求不小于 {minimum}（P-SIZE）。"
        "放大照片或提高压缩质量只会让文件变大，不会增加细节，所以 mediacheck 不这样“修复”。"
        "请使用相机或手机拍摄的原图"
        "（不要用微信等聊天软件转发或压缩过的图片，发送时选“原图”）。",
        "en": "The photo is only {size}; at least {minimum} is required (P-SIZE). Upscaling "
        "or raising the compression quality only makes the file bigger without adding "
        'detail, so mediacheck does not "fix" it that way. Use the original from the '
        "camera or phone (not a copy forwarded or compressed by a chat app; send it as "
        '"original image").',
    },
    "photo.written": {"zh": "已写出 {path}（{size}）。", "en": "Wrote {path} ({size})."},
    "photo.written_small": {
        "zh": "已写出 {path}（{size}），格式已符合要求，但大小仍不合格（见下）。",
        "en": "Wrote {path} ({size}): the format is right now, but the size still fails (below).",
    },
    # ---- photos: location and device identity (PRIV-PHOTO)
    "photo.strip": {
        "zh": "从照片的元数据中去掉：{items}。",
        "en": "Take out of the photo's metadata: {items}.",
    },
    "item.photo.gps": {"zh": "GPS 拍摄位置（{value}）", "en": "the GPS position ({value})"},
    "item.photo.camera_serial": {
        "zh": "相机序列号（{value}）",
        "en": "the camera serial number ({value})",
    },
    "item.photo.lens_serial": {
        "zh": "镜头序列号（{value}）",
        "en": "the lens serial number ({value})",
    },
    "item.photo.owner_name": {
        "zh": "机主姓名（{value}）",
        "en": "the owner's name ({value})",
    },
    "item.photo.unreadable": {
        "zh": "无法读取的 EXIF 信息（可能含有位置或序列号）",
        "en": "the EXIF block that cannot be read (it may hold a position or serials)",
    },
    "photo.strip_maker_note": {
        "zh": "连同相机厂商附注（MakerNote）：这是厂商的私有数据，通常也存有序列号，无法逐项检查。",
        "en": "With it the camera's maker note: the vendor's private data, which usually holds "
        "the serial number too and cannot be checked item by item.",
    },
    "photo.pixels_changed": {"zh": "像素有变化", "en": "the pixels changed"},
    "photo.strip_kept": {
        "zh": "不重新压缩：画面与原图逐像素相同，文件大小不变；拍摄方向、颜色配置（ICC）、"
        "拍摄时间、相机品牌型号和缩略图照旧保留，它们不指明地点，也不指向某一台设备。",
        "en": "Nothing is re-compressed: the picture is the original's pixel for pixel and the "
        "file keeps its size; orientation, colour profile (ICC), capture time, camera make "
        "and model and the thumbnail stay, as they name no place and no single device.",
    },
    "photo.strip_converted": {
        "zh": "转换时去掉：{items}。",
        "en": "Leave out of the converted photo: {items}.",
    },
    "photo.strip_damaged": {
        "zh": "照片的 EXIF 信息已损坏、无法逐项读取，因此整块清空（拍摄方向等也随之去掉）。",
        "en": "The photo's EXIF block is damaged and cannot be read item by item, so it is "
        "emptied whole (the orientation and the rest go with it).",
    },
    "photo.strip_format": {
        "zh": "{source} 格式的照片无法在不重新压缩的情况下去掉这些信息；"
        "请用手机或相机另存为 JPEG 后再运行 mediacheck fix。",
        "en": "mediacheck cannot take this out of a {source} photo without re-compressing "
        "it; save it as JPEG from the phone or camera and run mediacheck fix again.",
    },
    "photo.strip_nothing": {
        "zh": "找到了 {items}，但它不在 mediacheck 能修改的位置（EXIF 或 XMP），没有写出文件。"
        "请用照片软件的“删除位置信息/删除属性”功能处理。",
        "en": "Found {items}, but not where mediacheck can change it (EXIF or XMP); nothing "
        "was written. Use the photo app's remove-location / remove-properties feature.",
    },
    "photo.strip_verified": {
        "zh": "已复查写出的照片：{rules} 通过，像素与原图逐一相同。",
        "en": "Checked the written photo: {rules} pass, and its pixels equal the original's.",
    },
    "photo.strip_replace": {
        "zh": "上传时用这个新文件代替原照片，不要把两者放在同一个案例文件夹里：它们画面相同，"
        "会被当作重复照片（P-UNIQUE）。",
        "en": "Upload the new file instead of the original, and do not keep both in one case "
        "folder: they show the same picture and would count as duplicates (P-UNIQUE).",
    },
    "photo.dry_run": {
        "zh": "试运行：会写出 {path}，这次没有写任何文件。",
        "en": "Dry run: this would write {path}; nothing was written.",
    },
    "err.photo_strip_verify": {
        "zh": "去掉信息后复查没有通过（{detail}），没有写出文件，原照片未改动。",
        "en": "The photo did not verify after the strip ({detail}); nothing was written and "
        "the original is untouched.",
    },
    "err.photo_codec": {
        "zh": "无法读取 {fmt} 照片：需要安装 {package}（pip install {package}）。"
        "也可以在手机上把相机格式设为“兼容性最佳”（JPEG）后重新拍摄或导出。",
        "en": "Cannot read {fmt} photos: install {package} (pip install {package}). Or set "
        'the phone camera to "Most Compatible" (JPEG) and shoot or export again.',
    },
    "err.photo_unreadable": {
        "zh": "无法读取这张照片：{detail}",
        "en": "Cannot read this photo: {detail}",
    },
}


def say(key: str, lang: str, **params: object) -> str:
    """One language of `key`; a param given as a {zh, en} dict is picked too."""
    return tr(text(key, **params), lang)


def text(key: str, **params: object) -> Text:
    """Both languages of `key`; a param given as a {zh, en} dict is picked per language.
    A path or string param (a file name, ffmpeg's words) is shown on one line, its control
    characters visible (`visible`)."""
    shown = {k: visible(v) if isinstance(v, (str, os.PathLike)) else v for k, v in params.items()}
    return {
        lang: FIX[key][lang].format(
            **{k: (v[lang] if isinstance(v, dict) else v) for k, v in shown.items()}
        )
        for lang in LANGS
    }
