/**
 * Every style of the widget, inside its shadow root. `:host` rules are !important because, across
 * a shadow boundary, the inner context wins among important declarations: the page's own
 * `!important` rules cannot hide, move or restyle the host. `all: initial` stops inherited
 * properties (font, color, line-height) of the page at the host. Sizes are in px: rem would
 * follow the page's root font size.
 */
export const CHAT_STYLES = `
:host{all:initial!important;display:block!important;position:fixed!important;right:20px!important;bottom:20px!important;left:auto!important;top:auto!important;
width:auto!important;height:auto!important;margin:0!important;padding:0!important;border:0!important;z-index:2147483000!important;
visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;pointer-events:auto!important}
.root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2933;letter-spacing:normal;text-align:left;direction:ltr}
*,*::before,*::after{box-sizing:border-box}
button,textarea{font:inherit;color:inherit;margin:0}
.launcher{display:flex;align-items:center;justify-content:center;width:56px;height:56px;border:0;border-radius:50%;padding:0;
background:#2563eb;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:hover{background:#1d4ed8}
.launcher svg{width:26px;height:26px;fill:currentColor}
.panel{position:absolute;right:0;bottom:72px;width:360px;height:520px;max-width:calc(100vw - 40px);max-height:calc(100vh - 110px);
display:flex;flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.25)}
.panel[hidden]{display:none}
.header{display:flex;align-items:center;gap:8px;padding:14px 16px;background:#2563eb;color:#fff}
.title{flex:1;font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:0 4px}
.state{font-size:12px;padding:4px 16px;background:#fef3c7;color:#92400e}
.state[hidden],.typing[hidden],.notice[hidden]{display:none}
.log{flex:1;overflow-y:auto;padding:12px 12px 4px;display:flex;flex-direction:column;gap:6px;background:#f8fafc}
.empty{margin:auto;color:#64748b;text-align:center;padding:0 24px}
.msg{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}
.msg.incoming{align-self:flex-end;background:#2563eb;color:#fff;border-bottom-right-radius:4px}
.msg.outgoing{align-self:flex-start;background:#e2e8f0;color:#0f172a;border-bottom-left-radius:4px}
.msg.activity{align-self:center;background:transparent;color:#64748b;font-size:12px}
.msg.pending{opacity:.6}
.msg.failed{background:#fee2e2;color:#991b1b}
.author{display:block;font-size:11px;font-weight:600;color:#475569;margin-bottom:2px}
.typing{padding:2px 16px 6px;font-size:12px;color:#64748b;font-style:italic;background:#f8fafc}
.notice{padding:6px 16px;font-size:12px;color:#475569;background:#f1f5f9}
.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e2e8f0;background:#fff}
.input{flex:1;resize:none;height:40px;max-height:120px;padding:9px 10px;border:1px solid #cbd5e1;border-radius:8px;background:#fff;outline:none}
.input:focus{border-color:#2563eb}
.send{border:0;border-radius:8px;padding:0 14px;background:#2563eb;color:#fff;font-weight:600;cursor:pointer}
.send:disabled{opacity:.5;cursor:default}
`;
