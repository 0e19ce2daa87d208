import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { strictAssert } from '../shared/assert'
import './app/app.css'

const root = document.getElementById('root')
strictAssert(root, 'index.html has a #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
