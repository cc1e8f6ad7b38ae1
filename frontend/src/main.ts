// Entry point: mount the designer app on #app.
import "./app/app.css";
import { App } from "./app/app";
import { installFirstRun } from "./help";

const root = document.getElementById("app");
if (root) {
  new App(root);
  installFirstRun();
}
