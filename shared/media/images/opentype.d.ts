// opentype.js has no "exports" map: Node resolves its UMD "main" (whose named exports Node cannot
// see) while esbuild takes its ESM "module". Importing the ESM file by path gives both the same
// module; it has the API that @types/opentype.js describes.
declare module 'opentype.js/dist/opentype.mjs' {
  export * from 'opentype.js';
}
