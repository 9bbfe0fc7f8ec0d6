// Hack. Node cannot load CSS, and the chart components import a CSS module for
// their class names. For the server-side render in charts.test.ts, a CSS
// module is a map from each class name to itself.
require.extensions['.css'] = (module) => {
  module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : String(key)) });
};
