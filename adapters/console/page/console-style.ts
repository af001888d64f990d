/** The console's stylesheet: plain, readable, no framework. */
export const consoleStyle = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
body { margin: 0; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem 1rem; padding: .6rem 1rem; background: #1d2330; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; }
header nav { display: flex; flex-wrap: wrap; gap: .3rem; flex: 1 1 auto; min-width: 0; }
header button { background: transparent; color: #fff; border: 1px solid #4a5368; border-radius: 4px; padding: .3rem .7rem; cursor: pointer; }
header button[aria-current="page"] { background: #3b4a6b; }
#who { font-size: .9rem; opacity: .85; }
main { max-width: 980px; margin: 1rem auto; padding: 0 1rem; }
.banner { margin: .8rem auto; max-width: 948px; padding: .6rem 1rem; background: #fff7d6; border: 1px solid #e9cf6a; border-radius: 6px; }
.banner.warn { background: #ffe9e4; border-color: #e6a394; }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 1rem; margin-bottom: .6rem; }
.error { color: #b3261e; min-height: 1.2em; }
form#login-form { display: grid; gap: .7rem; max-width: 360px; background: #fff; padding: 1.2rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
form#login-form label { display: grid; gap: .2rem; }
input, textarea { font: inherit; padding: .4rem; border: 1px solid #b9bfcc; border-radius: 4px; }
button { font: inherit; }
#messages { display: grid; grid-template-columns: minmax(0, 1fr); gap: .6rem; min-height: 200px; }
/* Grid and flex items default to min-width: auto: one long line would widen the page. */
#messages > *, main, main > * { min-width: 0; }
.msg h2, .msg h3, .msg h4 { margin: .5rem 0 .3rem; font-size: 1rem; }
.msg ul, .msg ol { margin: .3rem 0; padding-left: 1.4rem; }
.msg .from { font-size: .8rem; color: #5a6275; margin: .4rem 0 -.2rem; }
.msg { padding: .6rem .8rem; border-radius: 8px; background: #fff; box-shadow: 0 1px 2px #0001; overflow-wrap: anywhere; }
.msg.user { background: #e4ecff; justify-self: end; max-width: 80%; }
.msg .who { font-size: .8rem; color: #5a6275; margin-bottom: .2rem; }
.msg p { margin: .3rem 0; white-space: pre-wrap; }
.msg a.audit-link { display: inline-block; margin-top: .3rem; font-size: .8rem; color: #3b4a6b; }
#audit-filter { margin: 0 0 .6rem; }
.code { position: relative; min-width: 0; }
.code button.copy { position: absolute; top: .3rem; right: .3rem; font-size: .75rem; padding: .1rem .5rem; border: 0; border-radius: 4px; background: #3b4a6b; color: #fff; cursor: pointer; }
pre { max-width: 100%; box-sizing: border-box; background: #1d2330; color: #e7eaf0; padding: .6rem; border-radius: 6px; overflow-x: auto; font-size: .85rem; }
code { font-family: ui-monospace, monospace; font-size: .9em; }
p code { background: #eef0f4; padding: 0 .2rem; border-radius: 3px; }
.card { border: 2px solid #e9a23b; }
.card h4 { margin: 0 0 .4rem; }
.card .actions { display: flex; gap: .5rem; }
.card button.approve { background: #1f7a3a; color: #fff; border: 0; border-radius: 4px; padding: .4rem .9rem; cursor: pointer; }
.card button.deny { background: #b3261e; color: #fff; border: 0; border-radius: 4px; padding: .4rem .9rem; cursor: pointer; }
.card.decided { border-color: #9aa3b5; }
form#ask-form { display: flex; gap: .5rem; margin-top: 1rem; }
form#ask-form textarea { flex: 1; min-width: 0; }
table { width: 100%; border-collapse: collapse; background: #fff; font-size: .85rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
.msg .table-wrap { max-width: 100%; overflow-x: auto; margin: .4rem 0; }
.msg .table-wrap table { width: auto; min-width: 50%; }
.msg .table-wrap th, .msg .table-wrap td { white-space: nowrap; overflow-wrap: normal; }
.msg .table-wrap th { background: #eef0f4; }
.align-right { text-align: right; }
.align-center { text-align: center; }
td.detail { max-width: 340px; overflow-wrap: anywhere; }
#conversation-list { list-style: none; padding: 0; display: grid; gap: .4rem; }
#conversation-list button { width: 100%; text-align: left; background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: .5rem .8rem; cursor: pointer; }
`;
