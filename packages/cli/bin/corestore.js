#!/usr/bin/env node
// The `corestore` command. Runs the compiled code in dist/ (built by `pnpm build`). Without a build,
// or with CORESTORE_FROM_SOURCE=1 (the tests set it, so they never run a stale build), it runs the
// TypeScript sources through tsx, resolving the workspace packages to their sources too.
import { existsSync } from 'node:fs'
import { register } from 'node:module'

const dist = new URL('../dist/main.js', import.meta.url)
if (process.env.CORESTORE_FROM_SOURCE !== '1' && existsSync(dist)) {
  await import(dist.href)
} else {
  register('./source-condition.js', import.meta.url)
  const tsx = await import('tsx/esm/api').catch(() => null)
  if (!tsx) {
    console.error('corestore: dist/ is not built and tsx is not installed: run pnpm install && pnpm build')
    process.exit(2)
  }
  tsx.register()
  await import(new URL('../src/main.ts', import.meta.url).href)
}
