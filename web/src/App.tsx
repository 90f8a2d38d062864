export function App() {
  return (
    <main>
      <h1>Laurel</h1>
    </main>
  );
}
