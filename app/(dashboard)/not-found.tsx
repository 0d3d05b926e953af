// Rendered inside the layout's <main>: the page keeps its navigation, and has one main landmark.
export { NotFoundMessage as default } from "@/components/not-found-message";
