/** The widget's CSS, scoped by the shadow root; themable with --lead-chat-accent. */
export const LAUNCHER_CSS = `
:host{all:initial;position:fixed!important;z-index:2147483000!important;bottom:20px!important;right:20px!important;left:auto!important;top:auto!important;display:block!important;--a:var(--lead-chat-accent,#9c2b23)}
:host([data-position=left]){right:auto!important;left:20px!important}
*{box-sizing:border-box}
.launcher,.panel{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;text-align:left;letter-spacing:normal}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.launcher{width:60px;height:60px;border-radius:50%;border:0;background:var(--a);color:#fff;box-shadow:0 6px 20px #0004;display:grid;place-items:center;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:28px;height:28px;fill:currentColor}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`;

export const PANEL_CSS = `
.panel{position:absolute;bottom:76px;right:0;width:380px;height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 12px 40px #0005;overflow:hidden;animation:in .18s ease-out}
:host([data-position=left]) .panel{right:auto;left:0}
.panel[hidden]{display:none}
@keyframes in{from{opacity:0;transform:translateY(12px)}}
header{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--a);color:#fff}
h2{flex:1;margin:0;font-size:16px;font-weight:600}
header button{background:#fff2;border:0;color:#fff;border-radius:8px;padding:6px 10px;font-size:13px}
header .close{font-size:20px;line-height:1;padding:4px 10px}
ol{flex:1;overflow-y:auto;list-style:none;margin:0;padding:16px;display:flex;flex-direction:column;gap:10px;background:#f6f4f2}
li{max-width:85%;padding:9px 13px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.assistant{align-self:flex-start;background:#fff;border:1px solid #e4e0dc;border-bottom-left-radius:4px}
.user{align-self:flex-end;background:var(--a);color:#fff;border-bottom-right-radius:4px}
li img{display:block;max-width:180px;max-height:140px;border-radius:8px;margin:4px 0}
.typing::after{content:"…";animation:blink 1s infinite}
@keyframes blink{50%{opacity:.3}}
.error{display:flex;align-items:center;gap:10px;margin:0;padding:10px 14px;background:#fdecea;color:#8a1c12;font-size:14px;border-top:1px solid #f3c2bc}
.error[hidden]{display:none}
.error span{flex:1}
.error button{border:1px solid #8a1c12;background:#fff;color:#8a1c12;border-radius:8px;padding:4px 12px}
.thumbs{display:flex;gap:8px;padding:0 12px;flex-wrap:wrap}
.thumbs:not(:empty){padding-top:10px}
.thumb{position:relative;width:64px;height:64px;border-radius:8px;overflow:hidden;background:#eee}
.thumb img{width:100%;height:100%;object-fit:cover}
.thumb progress{position:absolute;left:4px;right:4px;bottom:4px;width:calc(100% - 8px);height:6px}
.thumb.failed{outline:2px solid #c62828}
.thumb button{position:absolute;top:2px;right:2px;width:22px;height:22px;border-radius:50%;border:0;background:#000a;color:#fff;font-size:14px;line-height:1;padding:0}
form{display:flex;align-items:flex-end;gap:8px;padding:12px;border-top:1px solid #e4e0dc;background:#fff}
textarea{flex:1;resize:none;min-height:42px;max-height:120px;padding:10px 12px;border:1px solid #c9c3bd;border-radius:10px;font:inherit;color:inherit}
textarea:focus{outline:2px solid var(--a);border-color:transparent}
.attach,.send{height:42px;border-radius:10px;border:0;display:grid;place-items:center}
.attach{width:42px;background:#efebe8;color:#333}
.attach svg{width:22px;height:22px;fill:currentColor}
.send{padding:0 16px;background:var(--a);color:#fff;font-weight:600}
.send:disabled{opacity:.5;cursor:default}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){
.panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0;bottom:0}
:host([open]) .launcher{display:none}
}
`;
