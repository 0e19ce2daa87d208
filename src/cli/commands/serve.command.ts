import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { startWebHost } from '../../server/web-host'
import { resolveThumbnail } from '../../server/thumbnails'
import { UsageError, numberOption, stringOption } from '../args'
import type { CliCommand } from '../command'

/**
 * The built renderer: --static, else dist-web/ in the working directory, else beside this file
 * (src/cli/commands from source, out/node when bundled).
 */
export function findStaticDir(option: string | undefined): string | null {
  const here = import.meta.dirname
  const candidates = option
    ? [path.resolve(option)]
    : [
        path.resolve('dist-web'),
        path.resolve(here, '../../../dist-web'),
        path.resolve(here, '../../dist-web'),
      ]
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? null
}

/** Opens a URL in the desktop browser; no desktop (CI, ssh) is fine, the URL is printed anyway. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]]
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No opener on this machine: the printed URL is the fallback.
  }
}

export const serveCommands: CliCommand[] = [
  {
    name: 'serve',
    usage: 'vam serve [--port N] [--open] [--static DIR]',
    summary: 'serve the app to a browser on 127.0.0.1 (prints the URL with its token)',
    async run(ctx) {
      const port = numberOption(ctx.args, 'port') ?? 0
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be 0–65535')
      const staticDir = findStaticDir(stringOption(ctx.args, 'static'))
      if (!staticDir) throw new UsageError('no built renderer found: run `npm run build:web` first')
      const engine = await ctx.engine()
      const host = await startWebHost({
        engine,
        port,
        staticDir,
        thumbnails: resolveThumbnail,
        log: (line) => ctx.err(line),
      })
      if (ctx.json) ctx.printJson({ url: host.url, port: host.port })
      else ctx.out(`VAM Desktop is served at ${host.url}`)
      if (ctx.args.options.open === true) openInBrowser(host.url)
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await host.close()
      return 0
    },
  },
]
