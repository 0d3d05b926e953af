import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center">
      <NotFoundMessage />
    </main>
  );
}
