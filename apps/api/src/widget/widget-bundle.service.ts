import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The widget's TypeScript entry, relative to the repository (or image) root. */
const WIDGET_ENTRY = join('apps', 'widget', 'src', 'main.ts');

export interface WidgetBundle {
  body: Buffer;
  /** Strong validator: a hash of the bytes served. */
  etag: string;
}

/** The nearest folder above `from` that holds the widget's source (src/ in tests, dist/ when built). */
export function findWidgetEntry(from: string = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, WIDGET_ENTRY);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * `GET /widget.js` (API.md section 11): bundled once per process from apps/widget with esbuild's
 * API, minified, kept in memory. The build starts when the module starts and is not awaited
 * there, so startup never waits on it; the first request does.
 */
@Injectable()
export class WidgetBundleService implements OnModuleInit {
  private readonly logger = new Logger('Widget');
  private bundle: Promise<WidgetBundle | null> | undefined;

  onModuleInit(): void {
    void this.get();
  }

  /** The bundle, or null when it cannot be built (source missing from this install). */
  get(): Promise<WidgetBundle | null> {
    this.bundle ??= this.build().catch((error: unknown) => {
      this.logger.error(`widget.js could not be built: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
    return this.bundle;
  }

  private async build(): Promise<WidgetBundle> {
    const entry = findWidgetEntry();
    if (!entry) throw new Error(`${WIDGET_ENTRY} not found above ${__dirname}`);
    const result = await build({
      entryPoints: [entry],
      tsconfig: join(dirname(dirname(entry)), 'tsconfig.json'),
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2019'],
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    });
    const body = Buffer.from(result.outputFiles[0].contents);
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  }
}
