// The attention lab's heatmap, as one import for the lab page, the lesson widgets and panels.js:
// an n × n attention map on a <canvas> with token labels on both axes, a keyboard cursor, row
// highlight, a row-detail panel, a text alternative, zoom, and PNG/SVG/JSON export. No inline
// script anywhere (strict CSP). Each part lives in its own module:
//   heatmap-core.js         the component's elements, data, update and clear
//   heatmap-drawing.js      layout, cells, overlay, sentence-pair blocks, legend
//   heatmap-axis-labels.js  token labels on both axes
//   heatmap-zoom.js         wheel/pinch/keyboard zoom and scrolling to the cursor
//   heatmap-cursor.js       hover, keyboard cursor, row selection, readout, text summary
//   heatmap-export.js       PNG, SVG and JSON figures
//   colour-scale.js, dom.js, matrix-data.js  the colours, DOM helpers and map data they share
// Importing this module is what completes Heatmap.prototype: the feature modules add their
// methods to it as they load.
import { Heatmap } from "./heatmap-core.js";
import "./heatmap-drawing.js";
import "./heatmap-axis-labels.js";
import "./heatmap-zoom.js";
import "./heatmap-cursor.js";
import "./heatmap-export.js";
import { LUT, colourAt, divergingColour } from "./colour-scale.js";
import { displayToken, download, el, fmt } from "./dom.js";
import { decodeBytes, differenceData, matrixData } from "./matrix-data.js";

export { LUT, colourAt, differenceData, divergingColour, decodeBytes, el, fmt, displayToken, download, matrixData, Heatmap };
