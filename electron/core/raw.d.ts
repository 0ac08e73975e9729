/** Text files the app authors (templates/, sql/), bundled as strings: `import script from '…/x.sh?raw'`. */
declare module '*?raw' {
  const text: string;
  export default text;
}
