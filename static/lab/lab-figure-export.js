// Saving the lab's map as a figure: PNG, SVG or JSON, captioned with the model, layer, head and view.
import { Lab } from "./lab-page.js";
import { download } from "./heatmap.js";

Lab.prototype.bindExportButtons = function () {
  var self = this;
  this.$("export-png").addEventListener("click", function () {
    if (!self.heatmap.data) return;
    self.heatmap.toPngCanvas(self.caption()).toBlob(function (blob) { download(blob, self.fileName() + ".png"); });
  });
  this.$("export-svg").addEventListener("click", function () {
    if (!self.heatmap.data) return;
    download(new Blob([self.heatmap.toSvg(self.caption())], { type: "image/svg+xml" }), self.fileName() + ".svg");
  });
  this.$("export-json").addEventListener("click", function () {
    if (!self.heatmap.data) return;
    download(new Blob([self.heatmap.toJson(self.caption())], { type: "application/json" }), self.fileName() + ".json");
  });
};

// What a figure says under itself: the model, layer, head and view it shows.
Lab.prototype.caption = function () {
  var m = this.result ? this.result.matrix : { mode: this.mode.value, layer: Number(this.layer.value), head: Number(this.head.value) };
  var view = { head: "one head", mean: "mean of the layer's heads", rollout: "attention rollout" }[m.mode];
  return "Model " + this.model.value + " · layer " + (m.layer + 1) + (m.mode === "head" ? " · head " + (m.head + 1) : "") + " · view: " + view +
    (this.hide.checked ? " · [CLS]/[SEP] hidden, rows renormalised" : "") + " · rows = query, columns = key";
};

Lab.prototype.fileName = function () {
  var mode = this.mode.value;
  return "attention-L" + (Number(this.layer.value) + 1) + (mode === "head" ? "-H" + (Number(this.head.value) + 1) : "-" + mode);
};

