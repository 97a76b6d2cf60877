# ruff: noqa: E501  (a catalogue of sentences: one per line reads best)
"""Why a run could not start (exit 2): profile, config, usage, git and tool problems.

`errors.MediacheckError(code, **params)` words itself from `ERRORS[code]`. A parameter
may itself be a {zh, en} text (TYPES below), rendered in the reader's language.
"""

from __future__ import annotations

Text = dict[str, str]

# How each type of a check's key reads (checks.PARAM_TYPES).
TYPES: dict[str, Text] = {
    "number": {"zh": "一个数", "en": "a number"},
    "value": {"zh": "一个值（文字、数、true/false，或一组数）",
              "en": "a value (text, number, true/false, or a list of numbers)"},
    "list": {"zh": "一个非空列表", "en": "a non-empty list of values"},
    "pair": {"zh": "[下限, 上限] 两个数，下限 ≤ 上限", "en": "[low, high], two numbers with low ≤ high"},
    "fraction": {"zh": "不小于 0 的比例（0.1 即 ±10 %）", "en": "a fraction ≥ 0 (0.1 = ±10 %)"},
    "share": {"zh": "(0, 1] 之间的比例", "en": "a fraction in (0, 1]"},
    "seconds": {"zh": "不小于 1 的整秒数", "en": "a whole number of seconds ≥ 1"},
    "fact": {"zh": "一个测量项名称", "en": "a fact name"},
}  # fmt: skip

ERRORS: dict[str, Text] = {
    # ---- any YAML file people write: a profile, a config (yamlfile.py)
    "yaml.too_large": {"zh": "文件过大（{size} 字节，上限 {limit}），不像是手写的 YAML，没有读取",
                       "en": "far too large ({size} bytes, limit {limit}) for a YAML file a person wrote; not read"},
    "yaml.aliases": {"zh": "YAML 引用（& 和 *）有 {count} 个，超过上限 {limit}，为安全起见没有读取",
                     "en": "it uses {count} YAML references (& and *), more than {limit}; not read, for safety"},
    "yaml.not_regular": {"zh": "不是普通文件（是管道、设备或套接字）",
                         "en": "not a regular file (a pipe, device or socket)"},
    "yaml.not_utf8": {"zh": "不是 UTF-8 文本", "en": "not UTF-8 text"},
    # ---- profiles (the file and rule are put before the sentence)
    "profile.not_found": {"zh": "找不到规则配置（已安装的：{shipped}）",
                          "en": "profile not found (shipped profiles: {shipped})"},
    "profile.unreadable": {"zh": "无法读取（{detail}）", "en": "cannot read ({detail})"},
    "profile.yaml": {"zh": "不是有效的 YAML：{detail}", "en": "not valid YAML: {detail}"},
    "profile.not_mapping": {"zh": "规则配置应是一个带 rules: 的映射",
                            "en": "a profile is a mapping with a 'rules:' key"},
    "profile.unknown_keys": {"zh": "未知的键：{keys}", "en": "unknown key(s) {keys}"},
    "profile.rules_mapping": {"zh": "rules 应把规则编号映射到规则",
                              "en": "'rules' must map rule ids to rules"},
    "profile.extends_loop": {"zh": "extends 循环引用了自身", "en": "'extends' loops back to itself"},
    "profile.bilingual": {"zh": "“{key}”需要同时有 zh 和 en 两种文字",
                          "en": "'{key}' needs both 'zh' and 'en' text"},
    "profile.empty_text": {"zh": "“{key}”有一段空文字", "en": "'{key}' has an empty text"},
    "profile.rule_mapping": {"zh": "一条规则应是键值映射", "en": "a rule is a mapping of keys"},
    "profile.missing_key": {"zh": "缺少“{key}”", "en": "missing '{key}'"},
    "profile.unknown_check": {"zh": "未知的检查方式“{check}”（可用：{known}）",
                              "en": "unknown check '{check}' (known: {known})"},
    "profile.key_of_other_check": {"zh": "“{key}”只能用于检查方式 {checks}",
                                   "en": "'{key}' only goes with check(s) {checks}"},
    "profile.unknown_clause": {"zh": "未知的条款“{clause}”（本配置的条款：{known}）",
                               "en": "unknown spec clause '{clause}' (the profile's clauses: {known})"},
    "profile.applies_to": {"zh": "applies_to 必须是以下之一：{known}",
                           "en": "applies_to must be one of {known}"},
    "profile.severity": {"zh": "severity 必须是以下之一：{known}",
                         "en": "severity must be one of {known}"},
    "profile.unknown_fact": {"zh": "{kind} 没有测量项“{fact}”", "en": "unknown fact '{fact}' for {kind}"},
    "profile.check_needs": {"zh": "检查方式“{check}”需要“{key}”", "en": "check '{check}' needs '{key}'"},
    "profile.key_type": {"zh": "“{key}”必须是{type}", "en": "'{key}' must be {type}"},
    "profile.expected_type": {"zh": "检查方式“{check}”的 expected 必须是{type}",
                              "en": "check '{check}' needs {type} as 'expected'"},
    "profile.no_expected_fact": {"zh": "检查方式“{check}”不能用 expected_fact",
                                 "en": "check '{check}' cannot take 'expected_fact'"},
    "profile.expected_twice": {"zh": "expected 与 expected_fact 只能给一个",
                               "en": "give 'expected' or 'expected_fact', not both"},
    "profile.band_order": {"zh": "warn_band 不能小于 pass_band",
                           "en": "warn_band must be at least pass_band"},
    "profile.warn_limit_number": {"zh": "使用 warn_limit 时 expected 必须是一个数",
                                  "en": "'warn_limit' needs a number as 'expected'"},
    "profile.warn_limit_side": {"zh": "warn_limit 必须在 expected 的不合格一侧",
                                "en": "'warn_limit' must lie on the failing side of 'expected'"},
    "profile.only_if_passed": {"zh": "only_if_passed 必须是本配置中排在前面、适用于同类文件的规则（不是“{rule}”）",
                               "en": "only_if_passed must name an earlier rule of the same kind (not '{rule}')"},
    "profile.section": {"zh": "courses、links 或 tables 部分有误：{detail}", "en": "{detail}"},
    "profile.clauses": {"zh": "clauses 应把每个条款编号映射到它的标题（zh、en）",
                        "en": "'clauses' maps each clause id to its title (zh, en)"},
    "profile.clause_keys": {"zh": "条款只能有 title 和 source 两个键",
                            "en": "a clause has the keys 'title' and 'source'"},
    "profile.schema": {"zh": "不支持 schema {schema}（应为 1）",
                       "en": "schema {schema} is not supported (want 1)"},
    "profile.photo_hashes": {"zh": "photo_hashes 需要设置 duplicate 和 similar（案例规则要用）",
                             "en": "photo_hashes sets 'duplicate' and 'similar' (the case rules need them)"},
    "profile.photo_hashes_band": {"zh": "photo_hashes.{band} 需要设置 phash 和 dhash",
                                  "en": "photo_hashes.{band} sets 'phash' and 'dhash'"},
    "profile.photo_hashes_bits": {"zh": "photo_hashes.{band}.{name} 应在 0–256 位之间",
                                  "en": "photo_hashes.{band}.{name} is 0–256 bits"},
    "profile.photo_hashes_order": {"zh": "photo_hashes 的 duplicate 上限不能大于 similar",
                                   "en": "photo_hashes duplicate limits exceed similar ones"},
    # ---- .mediacheck.yaml (the file is put before the sentence)
    "config.strings": {"zh": "“{key}”必须是一段文字或文字列表", "en": "'{key}' must be a string or a list of strings"},
    "config.unreadable": {"zh": "无法读取（{detail}）", "en": "cannot read ({detail})"},
    "config.yaml": {"zh": "不是有效的 YAML：{detail}", "en": "not valid YAML: {detail}"},
    "config.not_mapping": {"zh": "配置文件应是键值映射（profile、include……）",
                           "en": "the config is a mapping of keys (profile, include, …)"},
    "config.unknown_keys": {"zh": "未知的键 {keys}（可用：{known}）", "en": "unknown key {keys} (known: {known})"},
    "config.profile": {"zh": "profile 必须是规则配置名或文件路径",
                       "en": "'profile' must be a profile name or a file path"},
    "config.lang": {"zh": "lang 必须是以下之一：{known}", "en": "'lang' must be one of {known}"},
    "config.jobs": {"zh": "jobs 必须是不小于 1 的整数", "en": "'jobs' must be a whole number ≥ 1"},
    "config.bool": {"zh": "“{key}”必须是 true 或 false", "en": "'{key}' must be true or false"},
    "config.other_files": {"zh": "other_files 必须是以下之一：{known}",
                           "en": "'other_files' must be one of {known}"},
    "config.pattern": {"zh": "“{key}”的匹配模式 {pattern} 无效：{detail}",
                       "en": "'{key}' pattern {pattern} is invalid: {detail}"},
    "config.missing": {"zh": "没有这个配置文件", "en": "no such config file"},
    # ---- the command line
    "missing_path": {"zh": "路径不存在：{path}", "en": "No such file or folder: {path}"},
    "usage.format": {"zh": "未知的报告格式“{fmt}”（可用：{known}）",
                     "en": "unknown format '{fmt}' (known: {known})"},
    "usage.format_file": {"zh": "“{part}”：冒号后面要写文件名", "en": "'{part}': a file name must follow ':'"},
    "usage.output": {"zh": "--output 需要正好一个不带“:文件”的 --format",
                     "en": "--output needs exactly one --format without ':FILE'"},
    "usage.shard": {"zh": "--shard 的格式是 K/N，且 1 ≤ K ≤ N（例如 2/4），而不是“{value}”",
                    "en": "--shard wants K/N with 1 ≤ K ≤ N (like 2/4), not '{value}'"},
    "usage.one_stdout": {"zh": "只能有一种格式写到标准输出（这里有：{formats}）；其余用“格式:文件”写入文件",
                         "en": "only one format can go to standard output (here: {formats}); write the others to files with FMT:FILE"},
    "usage.write": {"zh": "无法写入 {file}：{detail}", "en": "cannot write {file}: {detail}"},
    "usage.output_is_input": {"zh": "报告不能写到被检查的文件上：{file}",
                              "en": "a report cannot be written over a file being checked: {file}"},
    # ---- git (--changed-since)
    "git.missing": {"zh": "没有安装 git；--changed-since 需要它", "en": "git is not installed; --changed-since needs it"},
    "git.timeout": {"zh": "git {command} 超时（{seconds} 秒）", "en": "git {command} timed out after {seconds} s"},
    "git.no_repo": {"zh": "--changed-since 需要 git 仓库，而 {folder} 不在仓库中",
                    "en": "--changed-since needs a git repository, and {folder} is not in one"},
    "git.not_revision": {"zh": "“{ref}”不是 git 版本", "en": "'{ref}' is not a git revision"},
    "git.unknown_revision": {
        "zh": "git 不认识版本“{ref}”。在 CI 中请先取得足够的历史（GitHub Actions："
              "actions/checkout 加 fetch-depth: 0；GitLab：GIT_DEPTH: 0）。",
        "en": "git does not know the revision '{ref}'. In CI, fetch enough history first "
              "(GitHub Actions: actions/checkout with fetch-depth: 0; GitLab: GIT_DEPTH: 0).",
    },
    "git.failed": {"zh": "git 出错：{detail}", "en": "git failed: {detail}"},
}  # fmt: skip

# the words of a unit's and the district's submissions (#10) live beside them
from mediacheck.words.submission import ERRORS as _SUBMISSION_ERRORS  # noqa: E402

ERRORS.update(_SUBMISSION_ERRORS)
