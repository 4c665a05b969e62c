export { Holdings } from './holdings.js'
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
