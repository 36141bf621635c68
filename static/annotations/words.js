/**
 * How the page words things: field captions, articles, the usual units. Pure, node-tested.
 */

/** Captions for the attributes the news labels carry; others are derived from the name. */
const CAPTIONS = new Map([
  ["approximate", "Approximate"],
  ["reason_given", "Reason given"],
  ["count", "How many"],
]);

/** Return the caption of the attribute called `name`: "reason_given" -> "Reason given". */
export function fieldCaption(name) {
  if (CAPTIONS.has(name)) return CAPTIONS.get(name);
  const words = name.replaceAll("_", " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Return `phrase` after "a" or "an", by its first letter: "an Actor span", "a Quote span". */
export function withArticle(phrase) {
  return `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;
}

/** The units a FIGURE usually has: currency codes and percent; any other text is allowed. */
export const USUAL_UNITS = [
  "percent",
  "USD",
  "EUR",
  "GBP",
  "CAD",
  "JPY",
  "CNY",
  "CHF",
  "AUD",
  "INR",
  "RUB",
  "people",
  "barrels",
  "tonnes",
];
