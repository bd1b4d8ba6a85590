import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RouteHandler } from '@mash/service-kit';

/** Where `npm run build` (scripts/build-board.js) puts the board page. */
export const BOARD_DIST = path.resolve(__dirname, '..', 'board', 'dist');

const FILES: Record<string, { file: string; type: string }> = {
  '/board': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/board/board.js': { file: 'board.js', type: 'text/javascript; charset=utf-8' },
  '/board/board.css': { file: 'board.css', type: 'text/css; charset=utf-8' },
};

/**
 * The MASH board page, served by the gateway from its own build (no asset comes from the internet). Read once at
 * start; a gateway started before the board was built says so instead of serving nothing.
 */
export function boardRoutes(dist = BOARD_DIST): Record<string, RouteHandler> {
  const routes: Record<string, RouteHandler> = {};
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const full = path.join(dist, file);
    const body = existsSync(full) ? readFileSync(full) : undefined;
    routes[route] = (_req, res) => {
      if (!body) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The board page has not been built: run npm run build.');
        return;
      }
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy':
          "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
      });
      res.end(body);
    };
  }
  return routes;
}
