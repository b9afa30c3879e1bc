import type { ItemType, ServiceCategory } from "./lead-summary.js";

// One table per category type: every place the product words a service category or an item type
// reads it from here, so a new category fails the type check in this file and nowhere else.

/** The languages the local assistant answers in. */
export type Lang = "en" | "es";

/** How one service category is worded, by where it appears. */
export interface ServiceWords {
  /** The email's Service field and subject line: "seat repair". */
  field: string;
  /** The drafted SMS reply: "about your <request> request"; empty for a plain "your request". */
  request: string;
  /** The owner's summary, after "wants": "wants a seat repair". */
  wanted: string;
  /** The intake assistant's confirmation, per language: "So that's a headliner on your ...". */
  confirmed: Readonly<Record<Lang, string>>;
}

/** The words of every service category. */
export const SERVICE_WORDS: Readonly<Record<ServiceCategory, ServiceWords>> = {
  seat_repair: {
    field: "seat repair",
    request: "seat repair",
    wanted: "a seat repair",
    confirmed: { en: "a seat repair", es: "una reparación de asiento" },
  },
  seat_reupholstery: {
    field: "seat reupholstery",
    request: "seat reupholstery",
    wanted: "seat reupholstery",
    confirmed: { en: "seat reupholstery", es: "retapizado de asientos" },
  },
  headliner: {
    field: "headliner",
    request: "headliner",
    wanted: "headliner work",
    confirmed: { en: "a headliner", es: "el techo interior" },
  },
  convertible_top: {
    field: "convertible top",
    request: "convertible top",
    wanted: "convertible top work",
    confirmed: { en: "a convertible top", es: "la capota" },
  },
  carpet: {
    field: "carpet",
    request: "carpet",
    wanted: "carpet work",
    confirmed: { en: "carpet work", es: "la alfombra" },
  },
  door_panels: {
    field: "door panels",
    request: "door panels",
    wanted: "door panel work",
    confirmed: { en: "door panel work", es: "los paneles de puerta" },
  },
  dashboard: {
    field: "dashboard",
    request: "dashboard",
    wanted: "dashboard work",
    confirmed: { en: "dashboard work", es: "el tablero" },
  },
  steering_wheel: {
    field: "steering wheel",
    request: "steering wheel",
    wanted: "steering wheel work",
    confirmed: { en: "a steering wheel", es: "el volante" },
  },
  full_interior: {
    field: "full interior",
    request: "full interior",
    wanted: "a full interior",
    confirmed: { en: "a full interior", es: "un interior completo" },
  },
  cushions_covers: {
    field: "cushions covers",
    request: "cushion and cover",
    wanted: "cushions or covers",
    confirmed: { en: "cushions or covers", es: "cojines o fundas" },
  },
  motorcycle_seat: {
    field: "motorcycle seat",
    request: "motorcycle seat",
    wanted: "a motorcycle seat",
    confirmed: { en: "a motorcycle seat", es: "un asiento de moto" },
  },
  furniture: {
    field: "furniture",
    request: "furniture",
    wanted: "furniture upholstery",
    confirmed: { en: "furniture reupholstery", es: "tapicería de muebles" },
  },
  other: {
    field: "other service",
    request: "",
    wanted: "upholstery work",
    confirmed: { en: "upholstery work", es: "un trabajo de tapicería" },
  },
};

/** How one item type is worded, by where it appears. */
export interface ItemWords {
  /** The email's Vehicle / item field and subject line when no make or model is known: "boat" (empty: not shown). */
  field: string;
  /** The owner's summary: "a 1987 Chevrolet truck", "a piece of furniture". */
  noun: string;
  /** The intake assistant, when the customer gave no make ("your truck"), per language. */
  spoken: Readonly<Record<Lang, string>>;
}

/** The words of every item type. */
export const ITEM_WORDS: Readonly<Record<ItemType, ItemWords>> = {
  car: { field: "car", noun: "car", spoken: { en: "car", es: "carro" } },
  truck: { field: "truck", noun: "truck", spoken: { en: "truck", es: "camioneta" } },
  suv: { field: "suv", noun: "SUV", spoken: { en: "SUV", es: "SUV" } },
  van: { field: "van", noun: "van", spoken: { en: "van", es: "van" } },
  motorcycle: { field: "motorcycle", noun: "motorcycle", spoken: { en: "motorcycle", es: "moto" } },
  boat: { field: "boat", noun: "boat", spoken: { en: "boat", es: "lancha" } },
  rv: { field: "rv", noun: "RV", spoken: { en: "RV", es: "RV" } },
  furniture: { field: "furniture", noun: "piece of furniture", spoken: { en: "furniture", es: "mueble" } },
  other: { field: "", noun: "item", spoken: { en: "item", es: "artículo" } },
};
