import { promises } from 'node:fs'
import { defer, type Hooks } from './teardown.ts'

/**
 * Make this process's file system refuse hard links for the rest of the test, as exFAT, FAT and some
 * FUSE mounts do (`link(2)` fails with `code`: EPERM, ENOTSUP…).
 */
export function refuseHardLinks(t: Hooks, code = 'EPERM'): void {
  const link = promises.link
  promises.link = async () => {
    throw Object.assign(new Error(`${code}: operation not permitted, link`), { code })
  }
  defer(t, () => {
    promises.link = link
  })
}
