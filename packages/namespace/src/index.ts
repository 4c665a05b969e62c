export { Holdings } from './holdings.js'
export {
  childName,
  defaultOptions,
  isInNamespace,
  listedNamespace,
  nameText,
  ROOT_NAME,
  SEPARATOR,
  viewNameOf,
} from './names.js'
