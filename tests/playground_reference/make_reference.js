// Runs TensorFlow Playground's own code (src/playground.ts, state.ts, dataset.ts, nn.ts,
// compiled by TypeScript to CommonJS) on every link of links.json and writes one JSON
// fixture per link next to this script: Playground's data after its shuffle and split, its
// initial and final weights, its reported train and test loss after every epoch ("step"),
// its decision-boundary grid after the last epoch and the link as Playground rewrites it.
//
// Only what is display-only is replaced: d3's DOM selections, the heat maps, the line chart,
// the page (window, document) and analytics. Playground's numbers are read where Playground
// itself hands them on: the losses it gives its line chart, the training points it gives its
// heat map, the array it shuffles, the network nn.buildNetwork returns and the boundary grid
// it paints. An epoch is one click of Playground's own "step" button.
//
// Usage (see docs/playground.md):
//   node make_reference.js BUILD_DIR [OUT_DIR]
// BUILD_DIR holds the compiled .js files; d3 and seedrandom are resolved from there.
"use strict";

const fs = require("fs");
const path = require("path");
const Module = require("module");

const buildDir = path.resolve(process.argv[2] || "build");
const outDir = path.resolve(process.argv[3] || __dirname);
const links = JSON.parse(fs.readFileSync(path.join(__dirname, "links.json"), "utf8"));

const realD3 = require(require.resolve("d3", {paths: [buildDir]}));
// What Playground's page loads before its bundle (lib.js): seedrandom's minified build,
// which defines Math.seedrandom.
require(require.resolve("seedrandom/seedrandom.min.js", {paths: [buildDir]}));

// Something that absorbs any use (a DOM node, a canvas, an SVG generator): every property
// is itself, every call returns itself, and it reads as 0 or "".
function anything() {
  const target = function () {};
  const proxy = new Proxy(target, {
    get(t, prop) {
      if (prop === Symbol.toPrimitive) return hint => (hint === "string" ? "" : 0);
      if (prop === "length") return 0;
      return proxy;
    },
    set() { return true; },
    apply() { return proxy; },
  });
  return proxy;
}

// A d3 selection that records its event handlers (so that the step button can be
// pressed) and answers the one attribute Playground reads back: the noise slider's max,
// as index.html sets it.
const handlers = {};
const ATTRIBUTES = {"#noise max": "50"};
function selection(selector) {
  const target = function () {};
  const proxy = new Proxy(target, {
    get(t, prop) {
      if (prop === Symbol.toPrimitive) return hint => (hint === "string" ? "" : 0);
      if (prop === "on") {
        return (event, handler) => {
          if (handler) (handlers[selector] = handlers[selector] || {})[event] = handler;
          return proxy;
        };
      }
      if (prop === "property") {
        return function (name) {
          if (arguments.length === 1) return ATTRIBUTES[selector + " " + name];
          return proxy;
        };
      }
      if (prop === "node") return () => anything();
      if (prop === "size") return () => 1;
      if (prop === "select" || prop === "selectAll") return sub => selection(selector + " " + sub);
      return () => proxy;
    },
    apply() { return proxy; },
  });
  return proxy;
}

const fakeD3 = Object.create(realD3);
Object.assign(fakeD3, {
  select: s => selection(String(s)),
  selectAll: s => selection(String(s)),
  svg: anything(),
  timer: () => {},
  transition: () => anything(),
  mouse: () => [0, 0],
  html: () => {},
});

// The display-only modules: the heat maps keep what they are given, the line chart keeps
// the losses Playground reports.
let record;
class FakeHeatMap {
  constructor(width, numSamples) {
    this.main = width === 300 && numSamples === 100; // playground.ts's main heat map
  }
  updatePoints(points) { if (this.main) record.trainPoints = points; }
  updateTestPoints() {}
  updateBackground(data) { if (this.main) record.boundary = data; }
}
class FakeLineChart {
  reset() { record.losses = []; }
  addDataPoint(point) { record.losses.push(point.slice()); }
}

let realHeatmap;
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "d3") return fakeD3;
  if (request === "./heatmap") {
    return {HeatMap: FakeHeatMap, reduceMatrix: realHeatmap.reduceMatrix};
  }
  if (request === "./linechart") return {AppendingLineChart: FakeLineChart};
  return originalLoad.apply(this, arguments);
};

function freshRequire(name) {
  return require(path.join(buildDir, name));
}

function weights(network) {
  return network.slice(1).map(layer => ({
    W: layer.map(node => node.inputLinks.map(link => link.weight)),
    b: layer.map(node => node.bias),
  }));
}

function points(list) {
  return list.map(p => [p.x, p.y, p.label]);
}

// The boundary grid's coordinates, as updateDecisionBoundary computes them.
const DENSITY = 100;
const GRID_EVERY = 11;

function runLink(link) {
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(buildDir + path.sep)) delete require.cache[key];
  }
  for (const key of Object.keys(handlers)) delete handlers[key];
  record = {losses: []};
  global.window = {location: {hash: "#" + link.fragment}, addEventListener() {}, pageYOffset: 0};
  global.document = anything();
  global.ga = () => {};
  global.scrollTo = () => {};

  realHeatmap = freshRequire("heatmap.js");
  const nn = freshRequire("nn.js");
  const dataset = freshRequire("dataset.js");
  let network = null;
  const buildNetwork = nn.buildNetwork;
  nn.buildNetwork = function () {
    network = buildNetwork.apply(this, arguments);
    return network;
  };
  let shuffled = null;
  const shuffle = dataset.shuffle;
  dataset.shuffle = function (array) {
    shuffle(array);
    shuffled = array;
  };

  freshRequire("playground.js"); // opens the link: deserialize, data, network
  const serialized = global.window.location.hash.replace(/^#/, "");
  const initial = weights(network);
  const train = record.trainPoints;
  const test = shuffled.slice(train.length);
  if (train.some((p, i) => p !== shuffled[i])) throw new Error("train is not the shuffle's head");

  const step = handlers["#next-step-button"].click;
  for (let epoch = 0; epoch < link.epochs; epoch++) step();

  const grid = {i: [], j: [], output: []};
  for (let i = 0; i < DENSITY; i += GRID_EVERY) {
    for (let j = 0; j < DENSITY; j += GRID_EVERY) {
      grid.i.push(i);
      grid.j.push(j);
      grid.output.push(record.boundary[i][j]);
    }
  }
  let dead = 0;
  network.forEach(layer => layer.forEach(node => node.inputLinks.forEach(l => {
    if (l.isDead) dead++;
  })));
  return {
    name: link.name,
    fragment: link.fragment,
    serialized,
    epochs: link.epochs,
    train: points(train),
    test: points(test),
    initial,
    final: weights(network),
    dead_links: dead,
    losses: record.losses,
    grid,
  };
}

for (const link of links) {
  const fixture = runLink(link);
  const file = path.join(outDir, link.name + ".json");
  fs.writeFileSync(file, JSON.stringify(fixture) + "\n");
  const last = fixture.losses[fixture.losses.length - 1];
  console.log(`${link.name}: ${fixture.train.length} train, ${fixture.test.length} test, ` +
      `losses ${fixture.losses.length}, last ${last}, dead ${fixture.dead_links}`);
}
