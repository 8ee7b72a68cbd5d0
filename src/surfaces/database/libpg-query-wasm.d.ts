// The Emscripten module of libpg-query (its package gives no types for it): the exports sql.ts uses.
declare module 'libpg-query/wasm/libpg-query.js' {
  interface PgQueryWasm {
    HEAPU8: Uint8Array;
    _malloc(size: number): number;
    _free(ptr: number): void;
    _wasm_parse_query_raw(queryPtr: number): number;
    _wasm_free_parse_result(resultPtr: number): void;
    getValue(ptr: number, type: 'i32'): number;
    UTF8ToString(ptr: number): string;
  }
  const factory: (moduleArg?: object) => Promise<PgQueryWasm>;
  export default factory;
}
