export { Holdings } from './holdings.js'
export { childName, ROOT_NAME, SEPARATOR, viewNameOf } from './names.js'
