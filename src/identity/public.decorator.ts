import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'identity:public-route';

/** Opts a controller or handler out of the global auth guard (health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_ROUTE, true);
