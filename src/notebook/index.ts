export * from "./html.js";
export * from "./mime.js";
export * from "./gallery.js";
export * from "./table.js";
export * from "./progress.js";
export * from "./doctorView.js";
export * from "./input.js";
export * from "./templateView.js";
