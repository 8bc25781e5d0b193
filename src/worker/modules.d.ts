// wrangler.toml's `rules` import *.bin files as Data modules: their bytes as an ArrayBuffer.
declare module "*.bin" {
  const data: ArrayBuffer;
  export default data;
}
