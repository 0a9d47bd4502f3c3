/** Spec path templates (`/v1/projects/{ref}/...`) matched against request paths. */

export interface CompiledRoute<R> {
  method: string;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  route: R;
}

export function compileTemplate(template: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        paramNames.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), paramNames };
}

export class Router<R extends { method: string; path: string }> {
  private readonly routes: CompiledRoute<R>[];

  constructor(routes: readonly R[]) {
    this.routes = routes.map((route) => ({ method: route.method, template: route.path, ...compileTemplate(route.path), route }));
  }

  /** The route for a method and path, with its decoded path parameters. */
  match(method: string, path: string): { route: R; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.paramNames.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]!);
      });
      return { route: r.route, params };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
