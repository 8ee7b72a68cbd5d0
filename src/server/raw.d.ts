/** `import text from './file?raw'`: a file's text, bundled (scripts/build.mjs; vitest natively). */
declare module '*?raw' {
  const text: string;
  export default text;
}
