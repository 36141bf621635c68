// The looks of the text's pieces as generated CSS classes, one per distinct look.
//
// Pieces share a few hundred looks at most: each becomes one class in a constructed style
// sheet, which the browser styles far faster than thousands of inline gradients. The
// gradients themselves come from textmodel.js's pieceBackground.

import { pieceBackground } from "./textmodel.js";

/** Return functions that name the class of a look, adding a style sheet to `doc`. */
export function createLooks(doc) {
  const sheet = new CSSStyleSheet();
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  const classes = new Map();

  /** Return the class of a piece covered by `covering` ({level, colour} each). */
  function pieceClass(covering, options) {
    const spans = covering.map((c) => `${c.level}${c.colour}`).join(" ");
    const key = `${spans} ${options.tint} ${options.tintAlpha}`;
    let name = classes.get(key);
    if (name === undefined) {
      name = `look-${classes.size}`;
      const look = pieceBackground(covering, options);
      sheet.insertRule(
        `.${name} { background-image: ${look.backgroundImage}; ` +
          `background-size: ${look.backgroundSize}; ` +
          `background-position: ${look.backgroundPosition}; ` +
          `padding-bottom: ${look.paddingBottom || 0}; }`,
      );
      classes.set(key, name);
    }
    return name;
  }

  /** Return the class that colours a span's tag (its label, shown where it starts). */
  function tagClass(colour) {
    const key = `tag ${colour}`;
    let name = classes.get(key);
    if (name === undefined) {
      name = `tag-${classes.size}`;
      sheet.insertRule(`.seg.${name}::before { color: ${colour}; }`);
      classes.set(key, name);
    }
    return name;
  }

  return { pieceClass, tagClass };
}
