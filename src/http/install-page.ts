import type { Request, Response } from 'express';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** The small HTML page an admin sees at the end of an install, or when it went wrong. */
export function installPage(res: Response, status: number, title: string, text: string, link?: string): void {
  const more = link ? `<p><a href="${escapeHtml(link)}">Install again</a></p>` : '';
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${more}</body></html>`,
    );
}

/**
 * The checks every OAuth callback makes before it exchanges the code: the single-use `state` (its
 * stored value comes back, or the admin gets a page saying why not), a cancelled install, a missing
 * code. Returns undefined when it has already answered.
 */
export async function readOAuthCallback<S>(
  req: Request,
  res: Response,
  opts: { crmLabel: string; installPath: string; consumeState: (state: unknown) => Promise<S | undefined | false> },
): Promise<{ code: string; state: S } | undefined> {
  const q = req.query as Record<string, unknown>;
  let state: S | undefined | false;
  try {
    state = await opts.consumeState(q.state);
  } catch {
    installPage(res, 503, 'Cannot finish the install now', 'The connector cannot reach its store. Start the install again in a minute.');
    return undefined;
  }
  const again = `Start again at ${opts.installPath}.`;
  if (state === undefined || state === false) {
    installPage(res, 400, 'This install link is not valid any more', `It is missing its state, has expired (links last 10 minutes) or was already used. ${again}`, opts.installPath);
    return undefined;
  }
  if (typeof q.error === 'string') {
    installPage(res, 400, 'The install was cancelled', `${opts.crmLabel} said: ${typeof q.error_description === 'string' ? q.error_description : q.error}. ${again}`, opts.installPath);
    return undefined;
  }
  if (typeof q.code !== 'string' || q.code === '') {
    installPage(res, 400, `${opts.crmLabel} sent no authorization code`, again, opts.installPath);
    return undefined;
  }
  return { code: q.code, state };
}
