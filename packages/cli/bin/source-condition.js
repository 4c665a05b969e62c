// A module resolution hook: resolve packages with the "source" export condition first, so that
// `@corestore/*` imports load their TypeScript sources (as `node --conditions=source` would).
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: ['source', ...context.conditions] })
}
