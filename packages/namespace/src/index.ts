export { Holdings } from './holdings.js'
export { type CorestoreInner, createInner, type InnerHost } from './inner.js'
export {
  childName,
  defaultOptions,
  isInNamespace,
  listedNamespace,
  nameText,
  ROOT_NAME,
  rootName,
  SEPARATOR,
  viewNameOf,
} from './names.js'
