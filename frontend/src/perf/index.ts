// The Performance page and the header navigation that leads to it.
import "./perf.css";

export { appNav, markCurrent, showAlerts } from "./nav";
export { isPerformanceRoute } from "./model";
export { PerformancePage, performancePage } from "./page";
