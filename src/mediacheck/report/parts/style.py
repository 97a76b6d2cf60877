"""The HTML report's one stylesheet: inline, system fonts only, a print layout.

Status is never colour alone: every status also has its mark (✓ ! i ✗) and its word.
"""

CSS = """
:root{--fail:#b3261e;--warn:#8a5300;--info:#1d5f8c;--pass:#1e6b2c;--ink:#1c1c1c;
--mute:#5b5b5b;--line:#d6d6d6;--bg:#fafafa;--card:#fff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;padding:1.5rem;background:var(--bg);color:var(--ink);line-height:1.5;
font:15px/1.55 system-ui,-apple-system,"Segoe UI","Microsoft YaHei","PingFang SC",
"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}
main{max-width:62rem;margin:0 auto}
h1{font-size:1.6rem;margin:0 0 .3rem}
h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:0;display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
h4{font-size:.95rem;margin:1rem 0 .4rem}
.meta{color:var(--mute);font-size:.9rem;margin:.2rem 0}
.summary{font-size:1.1rem;font-weight:600;margin:.8rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#efefef}
td.nw,th.nw{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.card{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--pass);
border-radius:4px;padding:.8rem 1rem;margin:1rem 0}
.card.fail{border-left-color:var(--fail)}.card.warn{border-left-color:var(--warn)}
.card.info{border-left-color:var(--info)}
.name{font-family:ui-monospace,Consolas,"Courier New",monospace;word-break:break-all}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:3px;color:#fff;
font-weight:700;white-space:nowrap;font-size:.9rem}
.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}
.badge.info{background:var(--info)}.badge.pass{background:var(--pass)}
.st{white-space:nowrap;font-weight:600}
.st.fail{color:var(--fail)}.st.warn{color:var(--warn)}.st.info{color:var(--info)}
.st.pass{color:var(--pass)}
tr.advice td{border-top:none;background:#fcfcfc}
.hint{margin:.2rem 0 0;color:#333}
.hint::before{content:"→ "}
.passed{color:var(--mute);font-size:.88rem;margin:.5rem 0 0}
.note{color:var(--mute);font-style:italic;font-size:.9rem}
.chart{max-width:100%;height:auto;display:block;margin:.3rem 0}
.chart text{font:11px system-ui,"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;fill:#333}
.chart .band{fill:#cfe8d3}.chart .target{stroke:#1e6b2c;stroke-dasharray:5 4;stroke-width:1}
.chart .grid{stroke:#e6e6e6;stroke-width:1}.chart .axis{stroke:#666}
.chart .frame{fill:none;stroke:#999}
.chart .series{fill:none;stroke:#8a8a8a;stroke-width:1}
.chart .means{fill:none;stroke:#1d5f8c;stroke-width:2}
.chart .out{fill:var(--fail)}
figure{margin:0}
.frames,.gallery{display:flex;flex-wrap:wrap;gap:.6rem;margin:.4rem 0}
.gallery figure{width:min(240px,46%)}
.frames img,.gallery img,.photo img{display:block;max-width:100%;height:auto;
border:1px solid var(--line);background:#eee}
figcaption{font-size:.8rem;color:var(--mute);word-break:break-all}
.photo{float:right;margin:0 0 .5rem 1rem;max-width:200px}
.group{border:1px dashed var(--line);padding:.4rem .6rem;margin:.5rem 0;clear:both}
.group .gallery figure{width:160px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.6rem}
.tile{background:var(--card);border:1px solid var(--line);border-top:4px solid var(--pass);
padding:.3rem;break-inside:avoid}
.tile img{display:block;max-width:100%;height:auto;margin:0 auto}
.tile figcaption{font-size:.78rem}
.tiles-h{margin:1.2rem 0 .5rem}
tr.advice p{margin:.1rem 0}
.frames figure{width:calc(25% - .5rem);min-width:150px}
.counts{width:auto;min-width:22rem}
.clear{clear:both}
nav.top a,.top a{font-size:.85rem}
@media (max-width:600px){body{padding:.6rem}.photo{float:none;margin:0}}
@page{margin:14mm}
@media print{
body{background:#fff;padding:0;font-size:10pt}
main{max-width:none}
.card{break-inside:avoid;border-color:#999}
tr,figure,.chart{break-inside:avoid}
.top{display:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
}
"""
