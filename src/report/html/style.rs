//! The report's style sheet, inlined into the page: screen layout, the
//! level colours, and the print rules (page margins, what starts a page,
//! what is kept together).

pub(super) const CSS: &str = r#"
:root{--ink:#1c2530;--muted:#5d6b79;--line:#d9e0e7;--soft:#f4f6f8;--accent:#1d5b86;
--ok:#2e7d32;--unknown:#7b8c99;--watch:#c79100;--warning:#e0620d;--emergency:#b3261e;}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#e9edf1;color:var(--ink);
font:13.5px/1.45 "Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans","Noto Sans",sans-serif}
main{max-width:960px;margin:24px auto;background:#fff;padding:30px 38px;box-shadow:0 1px 5px rgba(0,0,0,.12)}
.head>div{min-width:0}
h1{font-size:21px;margin:0;letter-spacing:-.01em}
h2{font-size:12.5px;text-transform:uppercase;letter-spacing:.08em;color:var(--accent);
border-bottom:1.5px solid var(--accent);padding-bottom:2px;margin:18px 0 8px;break-after:avoid}
h3{font-size:12px;margin:10px 0 4px;color:var(--muted);font-weight:600}
p{margin:4px 0}
.head{display:flex;justify-content:space-between;gap:20px;align-items:flex-end;
border-bottom:3px solid var(--ink);padding-bottom:10px}
.sub{color:var(--muted);margin:3px 0 0;font-size:12px}
.meta{display:grid;grid-template-columns:auto auto;gap:1px 12px;margin:0;font-size:12px;text-align:left}
.meta dt{color:var(--muted)}
.meta dd{margin:0;font-weight:600;white-space:nowrap}
.stats{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}
.stat{background:var(--soft);border-radius:4px;padding:7px 10px}
.stat .k{display:block;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.stat .v{display:block;font-size:19px;font-weight:700;margin:1px 0}
.stat .s{display:block;font-size:11.5px;color:var(--muted)}
.badge{display:inline-block;padding:1px 7px;border-radius:3px;color:#fff;font-weight:700;
font-size:11px;letter-spacing:.05em;vertical-align:1px}
.stat .v .badge{font-size:15px;padding:2px 9px}
.lvl-ok{background:var(--ok)}.lvl-unknown{background:var(--unknown)}.lvl-watch{background:var(--watch)}
.lvl-warning{background:var(--warning)}.lvl-emergency{background:var(--emergency)}
.levelbar{display:flex;height:10px;border-radius:3px;overflow:hidden;margin:9px 0 4px}
.levelbar span{display:block;height:100%}
.legend{font-size:11.5px;color:var(--muted);margin:2px 0}
.legend i{display:inline-block;width:9px;height:9px;border-radius:2px;margin:0 4px 0 10px;vertical-align:-1px}
.legend i:first-child{margin-left:0}
.facts{display:grid;grid-template-columns:repeat(4,1fr);gap:4px 12px;margin:0 0 6px}
.facts div{border-left:3px solid var(--line);padding-left:7px}
.facts dt{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0;font-weight:600;font-size:13px}
.facts dd small{display:block;font-weight:400;color:var(--muted);font-size:11px}
.split{display:grid;grid-template-columns:1.1fr 1fr;gap:16px;align-items:start}
.split .facts{grid-template-columns:1fr 1fr}
figure{margin:4px 0 0}
svg{display:block;width:100%;height:auto}
svg text{font-family:inherit;font-size:10px;fill:#5d6b79}
svg .grid{stroke:#e3e8ed;stroke-width:1}
svg .axis{stroke:#9aa7b3;stroke-width:1}
svg .band{fill:#9cc3e4;fill-opacity:.35}
svg .base{fill:none;stroke:#1d5b86;stroke-width:1.2;stroke-dasharray:4 3}
svg .line{fill:none;stroke:#1c2530;stroke-width:1.6;stroke-linejoin:round}
svg .pt{fill:#1c2530}
svg .col-watch{fill:var(--watch);fill-opacity:.13}
svg .col-warning{fill:var(--warning);fill-opacity:.22}
svg .col-emergency{fill:var(--emergency);fill-opacity:.28}
svg .pt-watch{fill:var(--watch)}svg .pt-warning{fill:var(--warning)}svg .pt-emergency{fill:var(--emergency)}
svg .episode{fill:var(--emergency)}
svg .bp{stroke:#1d5b86;stroke-width:2.2;stroke-linecap:round}
svg .bps{stroke:#8e3fa8;stroke-width:1.4;stroke-linecap:round}
svg .hr{fill:none;stroke:#b3261e;stroke-width:1.4;stroke-linejoin:round}
svg .hrpt{fill:#b3261e}
table{border-collapse:collapse;width:100%;font-size:12px}
table.narrow{width:auto;min-width:55%}
th{text-align:left;font-weight:600;color:var(--muted);font-size:11px;text-transform:uppercase;
letter-spacing:.03em;border-bottom:1.5px solid var(--ink);padding:3px 6px}
td{border-bottom:1px solid var(--line);padding:3px 6px;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.d{white-space:nowrap;font-variant-numeric:tabular-nums}
td.rule{white-space:nowrap}
.lv{display:inline-block;min-width:62px;font-size:10.5px;font-weight:700;text-transform:uppercase;letter-spacing:.04em}
.lv.lvl-ok,.lv.lvl-unknown,.lv.lvl-watch,.lv.lvl-warning,.lv.lvl-emergency{background:none}
.lv.lvl-ok{color:var(--ok)}.lv.lvl-unknown{color:var(--unknown)}.lv.lvl-watch{color:var(--watch)}
.lv.lvl-warning{color:var(--warning)}.lv.lvl-emergency{color:var(--emergency)}
.sev{display:inline-flex;width:110px;height:8px;background:var(--soft);border-radius:2px;overflow:hidden;vertical-align:0}
.sev i{display:block;height:100%}
.s1{background:#f1c27d}.s2{background:#e0620d}.s3{background:#b3261e}
code{font:11px/1 ui-monospace,"DejaVu Sans Mono",monospace;background:var(--soft);padding:1px 3px;border-radius:2px}
.daily{font-size:11px;line-height:1.2}
.daily td{padding:1px 5px;border-bottom:none}
.daily tbody tr:nth-child(even) td{background:#f3f5f8}
.daily td.meds{white-space:nowrap}
.daily td.sym{min-width:170px}
.daily .lv{font-size:inherit;min-width:0}
tr.hot-warning td,.daily tr.hot-warning td{background:#fdf0e6}tr.hot-emergency td,.daily tr.hot-emergency td{background:#fbe9e7}
.daily td.note{color:var(--muted)}
.notes{margin:0;padding:0;list-style:none}
.notes li{padding:3px 0;border-bottom:1px solid var(--line)}
.notes .d{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:8px;white-space:nowrap}
.muted{color:var(--muted)}
.synthetic{border:3px solid #000;padding:6px 10px;font-weight:700;font-size:15px;text-align:center;margin:0 0 12px}
.empty{font-size:15px;padding:18px;background:var(--soft);border-radius:4px;margin-top:18px}
footer{margin-top:18px;padding-top:6px;border-top:1px solid var(--line);font-size:11px;color:var(--muted)}
@page{margin:12mm 12mm 14mm}
@media print{
body{background:#fff;font-size:9pt}
main{max-width:none;margin:0;padding:0;box-shadow:none}
table{font-size:8.5pt;line-height:1.3}
td{padding:1.2px 5px}
th{padding:2px 5px}
h3{margin:6px 0 2px}
.daily{font-size:7.2pt;line-height:1.15}
.daily td{padding:.4px 4px}
.stat{padding:5px 9px}
.stat .v{font-size:16px}
.notes{font-size:8.5pt}
.notes li{padding:1.5px 0}
footer{margin-top:6px;padding-top:3px;font-size:7.5pt}
.legend{margin:1px 0}
.details{break-before:page}
section.keep{break-inside:avoid}
tr,li{break-inside:avoid}
thead{display:table-header-group}
h2{margin:10px 0 5px}
}
"#;
