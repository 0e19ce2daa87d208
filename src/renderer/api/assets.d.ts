/** The bundled offline basemap (resources/, through the `@resources` alias in the Vite configs). */
declare module '@resources/world-110m.geojson?url' {
  const url: string
  export default url
}
