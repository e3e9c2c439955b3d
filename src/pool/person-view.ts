import { maskIdentifier } from '../common/masking';
import { CATEGORY_LABELS, Category } from './domain/categories';

/** The personal details shared by applications and pool members, with ID number and phone masked. */
export interface PersonRecord {
  id: number;
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  phone: string;
  idNumber: string;
  employer: string;
  title: string;
  category: Category;
  expertise: string;
  district: string;
  township: string;
  bio: string;
}

export function personView(p: PersonRecord) {
  return {
    id: p.id,
    name: p.name,
    gender: p.gender,
    birthYear: p.birthYear,
    phone: maskIdentifier(p.phone),
    idNumber: maskIdentifier(p.idNumber),
    employer: p.employer,
    title: p.title,
    category: p.category,
    categoryLabel: CATEGORY_LABELS[p.category],
    expertise: p.expertise ? p.expertise.split(',') : [],
    district: p.district,
    township: p.township,
    bio: p.bio,
  };
}
