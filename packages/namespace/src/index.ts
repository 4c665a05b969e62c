// @corestore/namespace's user API: corestore 5's names of views, and the cores a view holds. What the
// facade uses besides is in internal.ts (`@corestore/namespace/internal`), outside semver.
export { Holdings } from './holdings.js'
export type { CorestoreInner } from './inner.js'
export { childName, ROOT_NAME, SEPARATOR, viewNameOf } from './names.js'
