import { escapeHtml, widgetDemoPage } from './widget-demo.page';
import { matchesEtag } from './widget.controller';

describe('widget serving helpers', () => {
  it('If-None-Match matches the ETag itself, its weak form, a list holding it, or *', () => {
    const etag = '"abc"';
    expect(matchesEtag(etag, etag)).toBe(true);
    expect(matchesEtag('W/"abc"', etag)).toBe(true);
    expect(matchesEtag('"x", "abc"', etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag('"abcd"', etag)).toBe(false);
    expect(matchesEtag('abc', etag)).toBe(false);
    expect(matchesEtag(undefined, etag)).toBe(false);
    expect(matchesEtag('', etag)).toBe(false);
  });

  it('the demo page escapes what it shows', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const page = widgetDemoPage({ publicIdentifier: 'ldp_AAAAAAAAAAAAAAAAAAAAAAAA', name: '</title><script>alert(1)</script>' }, 'https://help.example.com');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<script src="/widget.js" data-inbox="ldp_AAAAAAAAAAAAAAAAAAAAAAAA" async></script>');
    expect(page).toContain('&lt;script src="https://help.example.com/widget.js" data-inbox=');
  });
});
