export { Holdings } from './holdings.js'
export { childName, ROOT_NAME, SEPARATOR } from './names.js'
