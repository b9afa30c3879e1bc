import { z } from "zod";

/**
 * What the chat may say about the shop: the intake assistant answers FAQs from it and the model
 * assistant's system prompt is built from it. Nothing here is secret; it is what the website says.
 */
export const businessProfileSchema = z.strictObject({
  /** Shop name as customers know it. */
  name: z.string().trim().min(1).max(120),
  /** Who calls the customer back ("Craig will reach out ..."). */
  owner_first_name: z.string().trim().min(1).max(60),
  /** The shop's own phone number, as it should be shown. */
  phone: z.string().trim().min(7).max(40),
  /** The shop's public email, if it has one. */
  email: z.email().optional(),
  /** Street address, one line. */
  address: z.string().trim().min(1).max(300),
  /** Opening hours, one line per day range, e.g. "Mon-Fri 8am-5:30pm". */
  hours: z.array(z.string().trim().min(1).max(120)).min(1).max(14),
  /** What the shop works on, one line each; FAQ answers quote these. */
  services: z.array(z.string().trim().min(1).max(160)).min(1).max(40),
  /** What the shop does NOT do, one line each, so "do you do paint?" gets a plain no. */
  services_not_offered: z.array(z.string().trim().min(1).max(160)).max(40).optional(),
  /** How long jobs take, if the shop wants that said ("most seat repairs take a day"); never invented. */
  turnaround: z.string().trim().min(1).max(200).optional(),
  /** Where customers come from, e.g. "Austin and Central Texas". */
  service_area: z.string().trim().min(1).max(300).optional(),
  /** The only callback time ever promised, phrased to follow "will reach out". */
  response_promise: z.string().trim().min(1).max(120),
  /** First words of the chat, before the customer says anything. */
  greeting: z.string().trim().min(1).max(300).optional(),
});

export type BusinessProfile = z.infer<typeof businessProfileSchema>;

/** The demo shop (Austin, TX). `business.json` at the repo root holds the same values to edit. */
export const DEFAULT_BUSINESS_PROFILE: BusinessProfile = {
  name: "Craig's Auto Upholstery",
  owner_first_name: "Craig",
  phone: "(512) 555-0142",
  email: "shop@craigsautoupholstery.example",
  address: "4815 Burnet Rd, Austin, TX 78756",
  hours: ["Mon-Fri 8am-5:30pm", "Sat 9am-1pm", "Sun closed"],
  services: [
    "Seat repair and reupholstery (cloth, vinyl and leather)",
    "Headliners",
    "Convertible tops",
    "Carpet and floor mats",
    "Door panels, dashboards and steering wheels",
    "Full custom interiors",
    "Motorcycle seats",
    "Boat, RV and golf cart cushions and covers",
    "Furniture reupholstery (couches, chairs, ottomans)",
  ],
  services_not_offered: [
    "Paint and body work",
    "Dent repair",
    "Mechanical and electrical repairs",
    "Window tinting",
    "Glass and windshields",
  ],
  service_area: "Austin and Central Texas (Round Rock, Cedar Park, Pflugerville, San Marcos)",
  response_promise: "within one business day",
  greeting: "Hi! Thanks for reaching out to Craig's Auto Upholstery. What can we help you with today?",
};
