import { applyHotlinesFile } from "../../src/bot/hotlines.ts";

/** Every test process shows the hotline numbers of the default contacts file, as `npm start` does. */
applyHotlinesFile("config/contacts.example.yaml");
