const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * `GET /widget/demo?inbox=ldp_...`: a page that embeds the widget exactly as a customer's site
 * would, plus a form to try `Ledgerdesk.identify` with an identifier and its HMAC.
 */
export function widgetDemoPage(inbox: { publicIdentifier: string; name: string }, origin: string): string {
  const id = escapeHtml(inbox.publicIdentifier);
  const name = escapeHtml(inbox.name);
  const src = escapeHtml(`${origin}/widget.js`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ledgerdesk widget demo: ${name}</title>
<style>
body{font-family:Georgia,serif;max-width:720px;margin:40px auto;padding:0 20px;color:#222;line-height:1.5}
code,pre{background:#f4f4f4;padding:2px 4px;border-radius:3px}
pre{padding:12px;overflow:auto}
fieldset{border:1px solid #ccc;padding:12px}
input{width:100%;margin:4px 0 8px;padding:6px;box-sizing:border-box}
</style>
</head>
<body>
<h1>Widget demo</h1>
<p>This page embeds the chat widget of the inbox <strong>${name}</strong> (<code>${id}</code>), as any site would:</p>
<pre>&lt;script src="${src}" data-inbox="${id}" async&gt;&lt;/script&gt;</pre>
<p>Open the chat with the button at the bottom right and write a message: it becomes a conversation
of that inbox (<code>source: "channel"</code>), and agents' replies appear here as they are written.</p>
<form id="identify">
<fieldset>
<legend>Try a verified user (<code>Ledgerdesk.identify</code>)</legend>
<label>identifier <input id="identifier" autocomplete="off"></label>
<label>identifier_hash (hex HMAC-SHA256 of the identifier, keyed with the inbox's hmac_token) <input id="identifier_hash" autocomplete="off"></label>
<label>name (optional) <input id="contact_name" autocomplete="off"></label>
<button type="submit">Identify</button> <output id="identify_result"></output>
</fieldset>
</form>
<script>
document.getElementById('identify').addEventListener('submit', function (event) {
  event.preventDefault();
  var value = function (id) { return document.getElementById(id).value; };
  var result = document.getElementById('identify_result');
  var options = { identifier: value('identifier'), identifier_hash: value('identifier_hash') };
  if (value('contact_name')) options.name = value('contact_name');
  window.Ledgerdesk.identify(options).then(
    function () { result.textContent = 'verified session'; },
    function (error) { result.textContent = 'refused: ' + error.message; }
  );
});
</script>
<script src="/widget.js" data-inbox="${id}" async></script>
</body>
</html>
`;
}
