export { downloadText } from '../../components/download';
