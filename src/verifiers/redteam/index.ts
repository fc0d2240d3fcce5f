/** Public API of the red team: the versioned catalogue, the runner and its terminal report (docs/red-team.md). */
export { CATALOGUE_VERSION, catalogueHash, redTeamCatalogue, redTeamFamilies } from "./catalogue.js";
export { RedTeamEntry, AnswerFormat, RED_TEAM_TASKS } from "./entry.js";
export type { RedTeamTask } from "./entry.js";
export { redTeam, CONTROL_FORMATS } from "./run.js";
export type { RedTeamOptions, RedTeamReport, RedTeamFamily, RedTeamOutcome } from "./run.js";
export { formatRedTeamReport, terminalSafe } from "./report.js";
