// Reads the DOM facts checks need from one frame. Read-only: it never focuses, types, clicks
// or changes anything. Walks open shadow roots. Returns plain JSON.
(limits) => {
  const MAX_TEXT = limits.maxText, MAX_LINKS = limits.maxLinks, MAX_INPUTS = limits.maxInputs;
  const squash = (s) => String(s || '').replace(/\s+/g, ' ').trim();
  const clip = (s, n) => { s = squash(s); return s.length > n ? s.slice(0, n) : s; };
  // Page text keeps one line break between blocks: classifiers must not read a heading and the
  // next paragraph as one sentence.
  const clipLines = (s, n) => {
    s = String(s || '').replace(/[^\S\n]+/g, ' ').replace(/ ?\n[\s]*/g, '\n').trim();
    return s.length > n ? s.slice(0, n) : s;
  };
  const roots = [document];
  const all = (selector) => {
    const found = [];
    for (const root of roots) {
      try { root.querySelectorAll(selector).forEach((el) => found.push(el)); } catch (e) {}
    }
    return found;
  };
  // Collect open shadow roots (bounded).
  try {
    const walker = document.createTreeWalker(document.documentElement || document, NodeFilter.SHOW_ELEMENT);
    let n = 0;
    while (walker.nextNode() && n < 20000) {
      n++;
      const sr = walker.currentNode.shadowRoot;
      if (sr && roots.length < 200) {
        roots.push(sr);
        const inner = document.createTreeWalker(sr, NodeFilter.SHOW_ELEMENT);
        while (inner.nextNode() && n < 20000) {
          n++;
          if (inner.currentNode.shadowRoot && roots.length < 200) roots.push(inner.currentNode.shadowRoot);
        }
      }
    }
  } catch (e) {}
  const inShadow = (el) => el.getRootNode && el.getRootNode() !== document;
  const visible = (el) => {
    try {
      if (el.hidden) return false;
      // Ancestors too: a closed <details> (content-visibility: hidden), display:none or
      // visibility:hidden parents; getBoundingClientRect alone still measures such boxes.
      if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) return false;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return false;
      if (parseFloat(style.opacity) === 0) return false;
      const rect = el.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) return false;
      if (rect.right < -1000 || rect.bottom < -1000 || rect.left > 10000) return false;
      if (el.closest && el.closest('[aria-hidden="true"]')) return false;
      const clip = style.clip || '';
      if (clip.startsWith('rect(0') || clip.startsWith('rect(1px, 1px')) return false;
      return true;
    } catch (e) { return false; }
  };
  const textOf = (el) => clip(el.innerText || el.textContent || '', 300);
  const byId = (root, id) => { try { return root.getElementById ? root.getElementById(id) : root.querySelector('#' + CSS.escape(id)); } catch (e) { return null; } };
  const labelOf = (el) => {
    const parts = [];
    try { if (el.labels) for (const l of el.labels) parts.push(textOf(l)); } catch (e) {}
    const lb = el.getAttribute('aria-labelledby');
    if (lb) for (const id of lb.split(/\s+/)) { const t = byId(el.getRootNode(), id) || document.getElementById(id); if (t) parts.push(textOf(t)); }
    for (const attr of ['aria-label', 'title']) { const v = el.getAttribute(attr); if (v) parts.push(v); }
    if (!parts.length) {
      // A label-like element just before the control (common in formless React markup), unless
      // it belongs to another control (a wrapping <label> of the previous field).
      let prev = el.previousElementSibling;
      if (!prev && el.parentElement) prev = el.parentElement.previousElementSibling;
      const othersLabel = prev && ((prev.tagName === 'LABEL' && prev.control && prev.control !== el)
        || (prev.querySelector && prev.querySelector('input,select,textarea')));
      if (prev && !othersLabel && /^(LABEL|SPAN|DIV|P|STRONG|B)$/.test(prev.tagName)) parts.push(textOf(prev));
    }
    return clip(parts.join(' '), 200);
  };
  const forms = all('form');
  const formIndex = (el) => { const f = el.form || (el.closest && el.closest('form')); const i = f ? forms.indexOf(f) : -1; return i >= 0 ? i : null; };
  const attr = (el, name) => el.getAttribute(name) || '';
  // An inline SVG's accessible name: its own <title> child (a logo drawn in SVG names itself there).
  const svgTitle = (el) => {
    if (el.tagName.toLowerCase() !== 'svg') return '';
    const title = [...el.children].find((c) => c.tagName.toLowerCase() === 'title');
    return title ? title.textContent || '' : '';
  };
  const resolve = (u) => { try { return new URL(u, document.baseURI).href; } catch (e) { return String(u || ''); } };
  // The parent in the composed tree: steps out of a shadow root to its host.
  const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const closestComposed = (el, selector) => {
    for (let node = el; node; node = parentOf(node)) { try { if (node.matches(selector)) return node; } catch (e) { return null; } }
    return null;
  };
  const headingNear = (el) => {
    const own = el.querySelector && el.querySelector('h1,h2,h3,h4,legend,[role=heading]');
    if (own) return textOf(own);
    let node = el;
    for (let depth = 0; node && depth < 6; depth++) {
      let sib = node.previousElementSibling;
      for (let k = 0; sib && k < 8; k++) {
        if (/^H[1-4]$/.test(sib.tagName) || sib.getAttribute('role') === 'heading') return textOf(sib);
        const inner = sib.querySelector && sib.querySelector('h1,h2,h3,h4');
        if (inner) return textOf(inner);
        sib = sib.previousElementSibling;
      }
      node = parentOf(node);
    }
    return '';
  };
  // Landmarks as ARIA sees them: a <header>/<footer> is a page banner/contentinfo only when it
  // is not inside sectioning content (a card's <header> is part of the main content).
  const SECTIONING = 'article,aside,main,nav,section,dialog,[role=main],[role=article],[role=region],[role=complementary],[role=navigation],[role=dialog],[role=alertdialog]';
  const landmarkOf = (node) => {
    const tag = node.tagName, role = node.getAttribute && node.getAttribute('role');
    if (tag === 'NAV' || role === 'navigation') return 'nav';
    if (role === 'banner') return 'header';
    if (role === 'contentinfo') return 'footer';
    if (tag === 'HEADER' || tag === 'FOOTER') {
      const outer = parentOf(node);
      if (outer && closestComposed(outer, SECTIONING)) return null;
      return tag === 'HEADER' ? 'header' : 'footer';
    }
    return null;
  };
  const landmark = (el) => {
    for (let node = el; node; node = parentOf(node)) { const found = landmarkOf(node); if (found) return found; }
    return 'main';
  };
  const region = (el) => (closestComposed(el, 'form') ? 'form' : landmark(el));
  // Text of open shadow roots, which body.innerText leaves out (each root once: innerText never
  // crosses into a nested root, so nothing is counted twice).
  const shadowText = () => roots.slice(1).map((root) => Array.from(root.children || [])
    .filter((c) => !/^(STYLE|SCRIPT|TEMPLATE)$/.test(c.tagName)).map((c) => c.innerText || '').join('\n')).join('\n');
  const navRegions = all('nav,header,footer,[role=navigation],[role=banner],[role=contentinfo]')
    .filter((el) => landmarkOf(el) && !(parentOf(el) && landmark(parentOf(el)) !== 'main'));
  const valueDesc = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
  const hasValue = (el) => { try { return !!(el.tagName === 'INPUT' ? valueDesc.get.call(el) : el.value); } catch (e) { return false; } };
  const out = {
    url: location.href,
    title: clip(document.title, 300),
    lang: attr(document.documentElement, 'lang'),
    headings: all('h1,h2,h3,[role=heading]').filter(visible).slice(0, 30).map(textOf).filter(Boolean),
    text: clipLines((document.body ? document.body.innerText : '') + (roots.length > 1 ? '\n' + shadowText() : ''), MAX_TEXT),
    nav_text: clipLines(navRegions.map((e) => e.innerText || '').join('\n'), MAX_TEXT),
    forms: forms.slice(0, 50).map((f) => ({
      action: resolve(f.getAttribute('action') || document.URL),
      method: (f.getAttribute('method') || 'get').toLowerCase(),
      id: f.id || '', name: attr(f, 'name'), target: attr(f, 'target'),
      text: clip(f.innerText || '', 2000), heading: headingNear(f), region: landmark(f),
    })),
    inputs: all('input,select,textarea').slice(0, MAX_INPUTS).map((el) => ({
      tag: el.tagName.toLowerCase(),
      type: (el.tagName === 'INPUT' ? (attr(el, 'type') || 'text') : el.tagName.toLowerCase()).toLowerCase(),
      name: attr(el, 'name'), id: el.id || '', autocomplete: attr(el, 'autocomplete'),
      label: labelOf(el), placeholder: clip(attr(el, 'placeholder'), 200),
      visible: visible(el), has_value: hasValue(el), required: el.required === true,
      inputmode: attr(el, 'inputmode'), form_index: formIndex(el), in_shadow: inShadow(el),
      region: region(el), heading: headingNear(el),
    })),
    buttons: all('button,input[type=submit],input[type=button],input[type=image],[role=button]').slice(0, 100).map((el) => ({
      text: clip(el.tagName === 'INPUT' ? (el.value || attr(el, 'aria-label') || attr(el, 'alt')) : (el.innerText || attr(el, 'aria-label') || attr(el, 'title')), 200),
      type: (attr(el, 'type') || (el.tagName === 'BUTTON' ? 'submit' : 'button')).toLowerCase(),
      form_index: formIndex(el), visible: visible(el), region: region(el),
    })),
    links: all('a[href]').slice(0, MAX_LINKS).map((a) => ({
      href: a.href, text: clip(a.innerText || attr(a, 'aria-label') || attr(a, 'title'), 200), region: region(a),
    })),
    scripts: all('script[src]').slice(0, 300).map((s) => s.src),
    // Logos name the site they belong to; their alt text is how a reader (and a spoof) says whose.
    image_alts: all('img[alt],[role=img][aria-label],svg')
      // Named ones only are measured for visibility: an icon set can hold thousands of SVGs.
      .map((el) => [el, clip(attr(el, 'alt') || attr(el, 'aria-label') || svgTitle(el), 200)])
      .filter(([el, name]) => name && visible(el)).slice(0, 30).map(([, name]) => name),
    // The names a page gives itself outside its body: the site name of link previews, the name
    // of an installed web app, the title of its favicon.
    site_names: [...document.querySelectorAll(
      'meta[property="og:site_name"],meta[name="application-name"],meta[name="apple-mobile-web-app-title"],link[rel~="icon"][title]')]
      .slice(0, 10).map((el) => clip(attr(el, 'content') || attr(el, 'title'), 200)).filter(Boolean),
  };
  if (limits.boxes) {
    // Where the controls stand (viewport CSS px of this frame), aligned with the lists above:
    // only when a screenshot is kept, to outline the login form on it.
    const rectOf = (el) => {
      try {
        const r = el.getBoundingClientRect();
        return [r.left, r.top, r.width, r.height].map((v) => Math.round(v * 10) / 10);
      } catch (e) { return null; }
    };
    out.form_boxes = forms.slice(0, 50).map(rectOf);
    out.input_boxes = all('input,select,textarea').slice(0, MAX_INPUTS).map(rectOf);
    out.button_boxes = all('button,input[type=submit],input[type=button],input[type=image],[role=button]').slice(0, 100).map(rectOf);
  }
  return out;
}
