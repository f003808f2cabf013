// The lab's three views (one head, the whole model, step by step): tabs with a roving tabindex
// (arrow keys, Home and End move between the views this model offers), and the model view's
// thumbnails, each of which opens its head.
import { Lab } from "./lab-page.js";
import { renderThumbs } from "./panels.js";

Lab.prototype.setView = function (view, refresh) {
  var tab = this.root.querySelector("[data-lab-view='" + view + "']");
  this.view = tab && !tab.hidden ? view : "head"; // e.g. a shared step-view link, opened on a model without q, k, v
  view = this.view;
  this.tabs.forEach(function (tab) {
    var on = tab.getAttribute("data-lab-view") === view;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
  });
  this.panels.forEach(function (panel) { panel.hidden = panel.getAttribute("data-lab-panel") !== view; });
  this.root.setAttribute("data-view", view);
  if (this.compare && !refresh) this.refreshCompare();
  if (refresh) this.refresh(true);
  else if (view === "head") this.heatmap.draw();
};

Lab.prototype.bindViewTabs = function () {
  var self = this;
  this.tabs.forEach(function (tab) {
    tab.addEventListener("click", function () { self.setView(tab.getAttribute("data-lab-view"), true); });
    tab.addEventListener("keydown", function (event) {
      var tabs = self.tabs.filter(function (each) { return !each.hidden; }); // the views this model offers
      var index = tabs.indexOf(tab), next = null;
      if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
      if (event.key === "ArrowLeft") next = tabs[(index + tabs.length - 1) % tabs.length];
      if (event.key === "Home") next = tabs[0];
      if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) { event.preventDefault(); next.focus(); self.setView(next.getAttribute("data-lab-view"), true); }
    });
  });
};

// The model view: a thumbnail per head; picking one opens it in the head view, keyboard focus on its map.
Lab.prototype.showThumbs = function (result) {
  var self = this;
  renderThumbs(this.$("thumbs"), result, Number(this.layer.value) * result.heads + Number(this.head.value), function (layer, head) {
    self.layer.value = String(layer);
    self.head.value = String(head);
    self.mode.value = "head";
    self.setView("head", true);
    self.heatmap.canvas.focus();
  });
};
