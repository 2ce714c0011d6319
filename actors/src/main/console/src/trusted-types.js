// The console runs under `require-trusted-types-for 'script'`: no string may reach an HTML sink.
// The one sink a library needs is zrender clearing a chart's container (`innerHTML = ''`), so the
// default policy lets exactly the empty string through and refuses every other HTML. The CSP's
// `trusted-types default` allows no other policy.
if (globalThis.trustedTypes?.createPolicy) {
  globalThis.trustedTypes.createPolicy('default', {
    createHTML(html) {
      if (html === '' || html === null) return '';
      throw new TypeError('HTML from a string is not allowed in the console');
    },
  });
}
