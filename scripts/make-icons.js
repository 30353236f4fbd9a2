#!/usr/bin/env node
// Draws SigScope's icon (a sender, an arrow, a target) into the PNG sizes the
// Linux packages want, and the same picture as SVG. Run after changing the design.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const out = path.join(__dirname, '..', 'assets', 'icons');
const BG = [29, 35, 48];
const SENDER = [240, 160, 48];
const TARGET = [74, 163, 255];
const ARROW = [236, 240, 245];

// Shapes in a 0..1 square, each a signed distance (negative inside).
function roundedRect(x, y, inset, radius) {
  const qx = Math.abs(x - 0.5) - (0.5 - inset - radius);
  const qy = Math.abs(y - 0.5) - (0.5 - inset - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
function segment(x, y, ax, ay, bx, by, width) {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - width / 2;
}
function triangle(x, y, tipX, tipY, size) {
  // pointing right: inside when left of the tip and within the widening cone
  const dx = tipX - x;
  return Math.max(-dx, Math.abs(y - tipY) - dx * 0.6, dx - size);
}

function colourAt(x, y) {
  const layers = [
    [roundedRect(x, y, 0.04, 0.18), BG],
    [segment(x, y, 0.33, 0.5, 0.62, 0.5, 0.07), ARROW],
    [triangle(x, y, 0.7, 0.5, 0.14), ARROW],
    [circle(x, y, 0.25, 0.5, 0.13), SENDER],
    [circle(x, y, 0.8, 0.5, 0.1), TARGET],
  ];
  let colour = null;
  for (const [distance, c] of layers) if (distance < 0) colour = c;
  return colour;
}

function png(size) {
  const samples = 4;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
        }
      }
      const o = py * (size * 4 + 1) + 1 + px * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(body) >>> 0 : crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect x="4" y="4" width="92" height="92" rx="18" fill="rgb(${BG})"/>
  <line x1="33" y1="50" x2="62" y2="50" stroke="rgb(${ARROW})" stroke-width="7" stroke-linecap="round"/>
  <polygon points="70,50 56,41.6 56,58.4" fill="rgb(${ARROW})"/>
  <circle cx="25" cy="50" r="13" fill="rgb(${SENDER})"/>
  <circle cx="80" cy="50" r="10" fill="rgb(${TARGET})"/>
</svg>
`;

fs.mkdirSync(out, { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512]) fs.writeFileSync(path.join(out, `${size}x${size}.png`), png(size));
fs.writeFileSync(path.join(out, 'sigscope.svg'), svg);
console.log(`icons written to ${path.relative(process.cwd(), out)}`);
