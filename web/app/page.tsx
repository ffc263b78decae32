import { HomeRedirect } from '@/features/auth/components/home-redirect';

export default function HomePage() {
  return <HomeRedirect />;
}
