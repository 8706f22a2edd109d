// hls.js ships no types for its "./light" export; they are those of the full build.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
