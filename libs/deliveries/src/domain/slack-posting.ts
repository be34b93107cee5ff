/** What goes to Slack, and which of its answers end a delivery (API.md section 7, Slack threads). */
export const SLACK_TEXT_LIMIT = 3000;
const CUT_MARKER = '\n… [truncated, full text in Ledgerdesk]';

/**
 * Text from customers and the API as Slack shows it, never as Slack markup: `&`, `<` and `>`
 * escaped as Slack's formatting rules ask, so `<!channel>`, `<@U123>` or `<https://x|label>`
 * in a subject, a name or a message neither notify anyone nor disguise a link.
 */
export const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** No posted text exceeds 3,000 chars: longer texts are cut and marked. */
export function cutForSlack(text: string, limit = SLACK_TEXT_LIMIT): string {
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  // An escaped character (`&lt;`) cut in half would show as `&l`: drop the half.
  return (
    chars
      .slice(0, limit - Array.from(CUT_MARKER).length)
      .join('')
      .replace(/&[a-z]{0,3}$/, '') + CUT_MARKER
  );
}

/** Slack errors that retrying cannot fix. */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'invalid_auth',
  'account_inactive',
  'is_archived',
  'token_revoked',
  'not_authed',
  'msg_too_long',
  'no_text',
]);
