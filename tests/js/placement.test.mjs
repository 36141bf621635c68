// Unit tests for static/annotations/placement.js: the span editor's place on a phone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { GAP, MARGIN, MIN_HEIGHT, placeEditor } from "../../static/annotations/placement.js";

// A 390×844 phone whose sticky toolbar covers the top 60 pixels.
const PHONE = { width: 390, height: 844, inset: 60 };
const TOP = PHONE.inset + MARGIN;
const BOTTOM = PHONE.height - MARGIN;

/** Return the box of one line of text from `left` to `right` at `top`, 24 pixels high. */
const line = (top, left = 40, right = 160) => ({ left, top, right, bottom: top + 24 });

describe("placeEditor", () => {
  test("below the span when the whole editor fits there", () => {
    const place = placeEditor([line(200)], { width: 374, height: 300 }, PHONE);
    assert.deepEqual(place, {
      side: "below",
      top: 224 + GAP,
      left: MARGIN,
      width: 374,
      maxHeight: BOTTOM - (224 + GAP),
      scroll: 0,
    });
  });

  test("starts at the span's left edge when the editor is narrower than the screen", () => {
    const place = placeEditor([line(200, 60)], { width: 280, height: 300 }, PHONE);
    assert.equal(place.left, 60);
    const right = placeEditor([line(200, 300, 380)], { width: 280, height: 300 }, PHONE);
    assert.equal(right.left, PHONE.width - MARGIN - 280); // kept inside the screen
  });

  test("above the span near the bottom of the screen, its bottom a gap above the span", () => {
    const place = placeEditor([line(700)], { width: 374, height: 300 }, PHONE);
    assert.equal(place.side, "above");
    assert.equal(place.top + 300, 700 - GAP);
    assert.equal(place.scroll, 0);
  });

  test("a tall editor takes the roomier side and scrolls inside it", () => {
    const place = placeEditor([line(420)], { width: 374, height: 700 }, PHONE);
    assert.equal(place.side, "below");
    assert.equal(place.top, 444 + GAP);
    assert.equal(place.maxHeight, BOTTOM - 444 - GAP);
    assert.ok(place.maxHeight >= MIN_HEIGHT);
    assert.equal(place.scroll, 0);
  });

  test("with too little room on both sides, the span scrolls up to just under the toolbar", () => {
    const landscape = { width: 844, height: 390, inset: 60 };
    const place = placeEditor([line(220)], { width: 374, height: 500 }, landscape);
    assert.equal(place.scroll, 220 - TOP);
    assert.equal(place.side, "below");
    assert.equal(place.top, TOP + 24 + GAP);
    assert.equal(place.maxHeight, 390 - MARGIN - place.top);
  });

  test("a span off screen is scrolled to, above or below", () => {
    const down = placeEditor([line(1500)], { width: 374, height: 300 }, PHONE);
    assert.equal(down.scroll, 1500 - TOP);
    assert.equal(down.top, TOP + 24 + GAP);
    const up = placeEditor([line(-400)], { width: 374, height: 300 }, PHONE);
    assert.equal(up.scroll, -400 - TOP);
    // Hidden under the toolbar counts as off screen.
    assert.equal(placeEditor([line(40)], { width: 374, height: 300 }, PHONE).scroll, 40 - TOP);
  });

  test("a span over several lines is one box; a very long one is anchored by its last line", () => {
    const two = placeEditor([line(200, 100, 370), line(224, 20, 90)], { width: 374, height: 300 }, PHONE);
    assert.equal(two.top, 248 + GAP);
    const long = Array.from({ length: 20 }, (_, i) => line(100 + 24 * i, 20, 370));
    const place = placeEditor(long, { width: 374, height: 200 }, PHONE);
    assert.equal(place.side, "below");
    assert.equal(place.top, 100 + 24 * 20 + GAP);
    assert.equal(place.scroll, 0);
  });

  test("without scrolling, the roomier side however small", () => {
    const landscape = { width: 844, height: 390, inset: 60 };
    const place = placeEditor([line(300)], { width: 374, height: 500 }, landscape, {
      scrolling: false,
    });
    assert.equal(place.side, "above");
    assert.equal(place.scroll, 0);
    assert.equal(place.maxHeight, 300 - GAP - TOP);
    assert.equal(place.top, TOP);
  });

  test("a span with no box (not drawn) has no place", () => {
    assert.equal(placeEditor([], { width: 374, height: 300 }, PHONE), null);
  });
});
